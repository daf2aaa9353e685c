package io.batchdrop.emulator.vertex;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalVertex} for a test class, {@link LocalVertex#reset reset} before each test: the
 * tests share the start-up, never each other's jobs, knobs or objects. Register it as a static
 * field; {@link #local()} is there from the class's first test on.
 */
final class FreshVertex implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final UnaryOperator<VertexEmulatorConfig> configure;
  private LocalVertex local;

  FreshVertex() {
    this(UnaryOperator.identity());
  }

  /** With the Vertex emulator's config changed by {@code configure}, as in {@link LocalVertex}. */
  FreshVertex(UnaryOperator<VertexEmulatorConfig> configure) {
    this.configure = configure;
  }

  LocalVertex local() {
    return local;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    local = LocalVertex.start(configure);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    local.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    local.close();
  }
}
