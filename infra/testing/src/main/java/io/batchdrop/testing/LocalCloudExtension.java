package io.batchdrop.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 side of {@link LocalCloudTest}: keeps one {@link LocalCloud} in the root context's
 * store, so it is shared by every test class of the run and closed by JUnit when the run ends;
 * resets it before each test; after each test closes what the test built on it ({@link
 * LocalDeployment}s and what fixtures registered with them); resolves {@link LocalCloud}
 * parameters. The emulators are started once per test JVM, never per class.
 */
public final class LocalCloudExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalCloudExtension.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    cloud(context).reset();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    RunScopedCloud started =
        context.getRoot().getStore(NAMESPACE).get(RunScopedCloud.class, RunScopedCloud.class);
    if (started != null) {
      started.cloud().closeTestScoped();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCloud.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cloud(context);
  }

  private static LocalCloud cloud(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            RunScopedCloud.class, key -> RunScopedCloud.start(), RunScopedCloud.class)
        .cloud();
  }

  /** Closed by JUnit when the root context closes, at the end of the run. */
  private record RunScopedCloud(LocalCloud cloud) implements CloseableResource {

    static RunScopedCloud start() {
      LocalCloud cloud = LocalCloud.start();
      System.err.println("[batchdrop-testing] local cloud started: " + cloud.startupTimes());
      return new RunScopedCloud(cloud);
    }

    @Override
    public void close() {
      cloud.close();
    }
  }
}
