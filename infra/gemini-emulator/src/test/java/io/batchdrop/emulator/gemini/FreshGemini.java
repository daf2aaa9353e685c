package io.batchdrop.emulator.gemini;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link LocalGemini} for a test class, {@link LocalGemini#reset reset} before each test: the
 * tests share the start-up, never each other's batches, files, knobs or clock. Register it as a
 * static field; {@link #local()} is there from the class's first test on.
 */
final class FreshGemini implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private LocalGemini local;

  LocalGemini local() {
    return local;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    local = LocalGemini.start();
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
