package io.batchdrop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the {@link LocalCloud}: test methods, {@code @BeforeEach} methods and
 * constructors may declare a {@link LocalCloud} parameter.
 *
 * <p>The emulators start once per test run (JVM), on first use, and stop when the run ends, even
 * when tests fail. Before every test the cloud is reset to empty (before the class's own
 * {@code @BeforeEach} methods run, so those can create topics and buckets). Because of that reset,
 * classes using it must not run concurrently with each other.
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
 * <p>The official emulators come from the Google Cloud SDK ({@link GcloudSdk}; override its root
 * with the {@value GcloudSdk#ROOT_VARIABLE} environment variable).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalCloudExtension.class)
public @interface LocalCloudTest {}
