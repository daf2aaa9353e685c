package io.batchdrop.emulator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official Node client, {@code @google-cloud/storage} 7 as pinned in src/test/node (installed
 * by {@code npm ci} in generate-test-resources), runs its suite (conformance.test.mjs: uploads of
 * every default kind, downloads, listing, metadata, copy/move/rewrite/compose, preconditions,
 * deletes) against a fresh emulator. Each Node test asserts contents and answers.
 */
class NodeClientConformanceTest {
  private static final Path SUITE = Path.of("src", "test", "node");

  @Test
  void theNodeClientPassesEveryConformanceTestWithDefaultOptions() throws Exception {
    assertTrue(
        ClientProcess.onPath("node"),
        "node is not on PATH: this test needs Node.js 20+ (Debian: apt-get install nodejs npm)");
    assertTrue(
        Files.isDirectory(SUITE.resolve("node_modules/@google-cloud/storage")),
        "the Node client is not installed in "
            + SUITE
            + ": run mvn -pl infra/storage-emulator generate-test-resources (npm ci) first");
    try (StorageEmulator emulator = StorageEmulator.start(StorageEmulatorConfig.inMemory())) {
      ClientProcess.Result result =
          ClientProcess.run(
              List.of(
                  "node",
                  "--test",
                  "--test-reporter=tap",
                  "--test-concurrency=1",
                  "conformance.test.mjs"),
              // The variable the local stack exports; the Node client takes it as the API base.
              Map.of("STORAGE_EMULATOR_HOST", emulator.baseUri().toString()),
              SUITE,
              Duration.ofSeconds(120));
      assertEquals(0, result.exitCode(), result.describe());
      assertTrue(result.stdout().contains("\n# fail 0\n"), result.describe());
      long passed = result.stdout().lines().filter(l -> l.startsWith("ok ")).count();
      long declared =
          Files.readAllLines(SUITE.resolve("conformance.test.mjs")).stream()
              .filter(l -> l.startsWith("test('"))
              .count();
      assertEquals(declared, passed, "every Node test ran and passed\n" + result.describe());
    }
  }
}
