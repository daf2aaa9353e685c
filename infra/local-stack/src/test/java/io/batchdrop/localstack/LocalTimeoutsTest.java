package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack's functions, scheduler and bridges keep the deployment's time limits. */
@LocalCloudTest
class LocalTimeoutsTest {

  @Test
  void eachFunctionIsToldTheTimeoutTerraformGivesIt(LocalCloud cloud) throws Exception {
    Map<String, String> told = new LinkedHashMap<>();
    try (LocalStack stack = LocalStack.deploy(cloud, Map.of())) {
      for (Map.Entry<LocalFunction, InvokedFunction> function : stack.functions().entrySet()) {
        told.put(
            function.getKey().name(),
            environmentOf(function.getValue().process())
                .getOrDefault("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", "unset (540)"));
      }
    }

    // terraform/functions.tf: timeout_seconds and the timeout_*_env each function merges.
    assertThat(told)
        .containsExactly(
            Map.entry("submit", "540"),
            Map.entry("poll", "300"),
            Map.entry("poll-slices", "300"),
            Map.entry("publish", "540"));
  }

  /** What the process was started with, as Linux shows it. */
  private static Map<String, String> environmentOf(Process process) throws Exception {
    String environ =
        new String(
            Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")),
            StandardCharsets.UTF_8);
    Map<String, String> environment = new LinkedHashMap<>();
    for (String entry : environ.split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return environment;
  }
}
