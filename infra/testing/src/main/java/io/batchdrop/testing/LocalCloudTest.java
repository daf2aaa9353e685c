package io.batchdrop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs a test class against the {@link LocalCloud}: test methods, {@code @BeforeEach} and
 * {@code @AfterEach} methods may declare a {@link LocalCloud} parameter, and a parameter or {@link
 * Fixture} field of a fixture type (an {@link AutoCloseable} class with a non-private constructor
 * taking a {@link LocalCloud}), built per test from the test's cloud and closed after it, before
 * the cloud ({@link LocalCloudExtension}).
 *
 * <p>The official Pub/Sub and Firestore emulator processes start once per test run (JVM), on first
 * use, and stop when the run ends, even when tests fail. Every test gets a cloud of its own on
 * them: a fresh project id and fresh in-process storage, Vertex AI and Gemini API emulators, the
 * same instance in its {@code @BeforeEach} methods, the test and its {@code @AfterEach} methods;
 * after the test it is closed and its project wiped. Tests therefore share nothing they can see, so
 * the methods of such a class may run concurrently too (when the build enables parallel execution,
 * as the parent pom does); a class whose tests depend on each other's order or on static state says
 * {@code @Execution(ExecutionMode.SAME_THREAD)}.
 *
 * <pre>{@code
 * @LocalCloudTest
 * class RunStoreTest {
 *   @Test
 *   void savesARun(LocalCloud cloud) throws Exception {
 *     cloud.firestore().document("runs/r1").set(Map.of("state", "SUBMITTED")).get();
 *     assertThat(cloud.firestore().document("runs/r1").get().get().getString("state"))
 *         .isEqualTo("SUBMITTED");
 *   }
 * }
 * }</pre>
 *
 * <p>A class whose tests all use one fixture says so once, instead of a {@code @BeforeEach} that
 * builds it and an {@code @AfterEach} that closes it:
 *
 * <pre>{@code
 * @LocalCloudTest
 * class PollStatesTest {
 *   @Fixture private PollFixture fx;
 *
 *   @Test
 *   void aRunningJobIsRecorded() throws Exception {
 *     fx.submitted(fx.run(), 1);
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>The official emulators come from the Google Cloud SDK ({@link GcloudSdk}; override its root
 * with the {@value GcloudSdk#ROOT_VARIABLE} environment variable).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalCloudExtension.class)
@Execution(ExecutionMode.CONCURRENT)
public @interface LocalCloudTest {}
