package io.batchdrop.testing;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;

/**
 * One test's cloud and its fixtures ({@link Fixture}), each type built once, on first use, from the
 * cloud. {@link #close} closes the fixtures newest first, then the cloud, and reports every failed
 * close. Also closed by JUnit with the test's context if the extension's afterEach did not run.
 */
final class TestScope implements CloseableResource {

  private final Closer closer = new Closer("closing a test's fixtures or its cloud failed");
  private final LocalCloud cloud;
  private final Map<Class<?>, AutoCloseable> built = new HashMap<>();

  TestScope(LocalCloud cloud) {
    this.cloud = closer.register(cloud);
  }

  LocalCloud cloud() {
    return cloud;
  }

  /** The constructor a fixture of this type is built with, if the type is one. */
  static Optional<Constructor<?>> constructor(Class<?> type) {
    if (!AutoCloseable.class.isAssignableFrom(type)
        || type.isInterface()
        || Modifier.isAbstract(type.getModifiers())) {
      return Optional.empty();
    }
    try {
      Constructor<?> constructor = type.getDeclaredConstructor(LocalCloud.class);
      return Modifier.isPrivate(constructor.getModifiers())
          ? Optional.empty()
          : Optional.of(constructor);
    } catch (NoSuchMethodException e) {
      return Optional.empty();
    }
  }

  synchronized AutoCloseable fixture(Class<?> type) {
    AutoCloseable fixture = built.get(type);
    if (fixture == null) {
      fixture = closer.register(build(type));
      built.put(type, fixture);
    }
    return fixture;
  }

  private AutoCloseable build(Class<?> type) {
    Constructor<?> constructor =
        constructor(type)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "a fixture is an AutoCloseable class with a non-private constructor"
                            + " taking a LocalCloud; "
                            + type.getName()
                            + " is not"));
    try {
      // Fixtures are package-private classes of the test's own package.
      constructor.setAccessible(true);
      return (AutoCloseable) constructor.newInstance(cloud);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "building the fixture " + type.getName() + " failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build the fixture " + type.getName(), e);
    }
  }

  @Override
  public synchronized void close() {
    closer.close();
  }
}
