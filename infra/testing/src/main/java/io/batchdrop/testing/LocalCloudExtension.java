package io.batchdrop.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 side of {@link LocalCloudTest}. The official emulator processes are kept in the root
 * context's store: started once per test JVM, on first use, shared by every test class of the run
 * and closed by JUnit when the run ends. Each test gets a {@link LocalCloud} of its own on them: a
 * fresh project id (its own Firestore documents and Pub/Sub topics) and fresh in-process storage,
 * Vertex and Gemini emulators. After the test, what it built on its cloud ({@link LocalDeployment}s
 * and what fixtures registered with them) is closed, then the cloud, which wipes the project. So
 * tests share no state and may run concurrently.
 *
 * <p>It resolves two kinds of parameter of test, {@code @BeforeEach} and {@code @AfterEach}
 * methods: a {@link LocalCloud}, the test's, and a fixture, an instance of any {@link
 * AutoCloseable} class with a non-private constructor taking a {@link LocalCloud}, built on first
 * use from the test's cloud; it also sets the test instance's {@link Fixture} fields so, before the
 * {@code @BeforeEach} methods run. Within one test there is one fixture of each type. After the
 * {@code @AfterEach} methods the test's fixtures are closed, newest first, then its cloud; a
 * fixture whose close throws fails the test, and the rest and the cloud are closed all the same.
 */
public final class LocalCloudExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalCloudExtension.class);

  /** Project ids are unique within the JVM, the only users of its emulator processes. */
  private static final AtomicInteger PROJECTS = new AtomicInteger();

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    Object instance = context.getRequiredTestInstance();
    for (Class<?> type = instance.getClass(); type != Object.class; type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (field.isAnnotationPresent(Fixture.class)) {
          if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
            throw new IllegalStateException(
                "a @Fixture field is set per test, so neither static nor final: " + field);
          }
          field.setAccessible(true);
          field.set(instance, scope(context).fixture(field.getType()));
        }
      }
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestScope scope = context.getStore(NAMESPACE).remove(TestScope.class, TestScope.class);
    if (scope != null) {
      scope.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalCloud.class || TestScope.constructor(type).isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "a LocalCloud or a fixture belongs to one test: declare it on @Test, @BeforeEach or"
              + " @AfterEach methods, not on "
              + parameter.getDeclaringExecutable());
    }
    Class<?> type = parameter.getParameter().getType();
    TestScope scope = scope(context);
    return type == LocalCloud.class ? scope.cloud() : scope.fixture(type);
  }

  /**
   * The test's cloud and fixtures, the same for its @BeforeEach methods, the test and
   * its @AfterEach methods.
   */
  private static TestScope scope(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestScope.class, key -> startScope(context), TestScope.class);
  }

  private static TestScope startScope(ExtensionContext context) {
    String projectId = "batchdrop-test-" + PROJECTS.incrementAndGet();
    return new TestScope(LocalCloud.onShared(processes(context), projectId));
  }

  private static OfficialProcesses processes(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RunScopedProcesses.class, key -> RunScopedProcesses.start(), RunScopedProcesses.class)
        .processes();
  }

  /** Closed by JUnit when the root context closes, at the end of the run. */
  private record RunScopedProcesses(OfficialProcesses processes) implements CloseableResource {

    static RunScopedProcesses start() {
      OfficialProcesses processes = OfficialProcesses.start(LocalCloudConfig.defaults());
      System.err.println(
          "[batchdrop-testing] official emulators started: " + processes.startupTimes());
      return new RunScopedProcesses(processes);
    }

    @Override
    public void close() {
      processes.close();
    }
  }
}
