package io.batchdrop.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link LocalCloudTest} class that the extension sets, before each test's
 * {@code @BeforeEach} methods, to a fixture built from that test's {@link LocalCloud}, and closes
 * after the test's {@code @AfterEach} methods, before the cloud. The field's type is a class that
 * implements {@link AutoCloseable} and has a non-private constructor taking a {@link LocalCloud};
 * the field is neither static nor final.
 *
 * <pre>{@code
 * @LocalCloudTest
 * class PollStatesTest {
 *   @Fixture private PollFixture fx;
 * }
 * }</pre>
 *
 * <p>A test method, {@code @BeforeEach} or {@code @AfterEach} parameter of such a type needs no
 * annotation; a field and a parameter of the same type get the same instance within one test.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Fixture {}
