package io.batchdrop.testing;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
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
 */
public final class LocalCloudExtension implements AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalCloudExtension.class);

  /** Project ids are unique within the JVM, the only users of its emulator processes. */
  private static final AtomicInteger PROJECTS = new AtomicInteger();

  @Override
  public void afterEach(ExtensionContext context) {
    TestCloud cloud = context.getStore(NAMESPACE).remove(TestCloud.class, TestCloud.class);
    if (cloud != null) {
      cloud.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCloud.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      throw new ParameterResolutionException(
          "a LocalCloud belongs to one test: declare it on @Test, @BeforeEach or @AfterEach"
              + " methods, not on "
              + parameter.getDeclaringExecutable());
    }
    // The same cloud for the test's @BeforeEach methods, the test and its @AfterEach methods.
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(TestCloud.class, key -> TestCloud.start(context), TestCloud.class)
        .cloud();
  }

  private static OfficialProcesses processes(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RunScopedProcesses.class, key -> RunScopedProcesses.start(), RunScopedProcesses.class)
        .processes();
  }

  /** One test's cloud; also closed by JUnit with the test's context if afterEach did not run. */
  private record TestCloud(LocalCloud cloud) implements CloseableResource {

    static TestCloud start(ExtensionContext context) {
      String projectId = "batchdrop-test-" + PROJECTS.incrementAndGet();
      return new TestCloud(LocalCloud.onShared(processes(context), projectId));
    }

    @Override
    public void close() {
      cloud.close();
    }
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
