package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.testing.GcloudSdk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./batchdrop demo} on a machine without the gcloud emulator components, as a new user may
 * run it: one line saying what is missing and how to install it, exit code 1.
 */
class DemoStartFailureTest {

  @Test
  void aMissingEmulatorComponentIsOneLineNamingThePackageAndExitCode1(@TempDir Path emptySdk)
      throws Exception {
    ProcessBuilder demo =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Demo.class.getName());
    demo.environment().put(GcloudSdk.ROOT_VARIABLE, emptySdk.toString());
    Process process = demo.start();
    process.getOutputStream().close();

    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the demo ended").isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(1);
    assertThat(err.lines().toList())
        .as("what the demo printed on stderr")
        .singleElement()
        .asString()
        .startsWith("batchdrop: the local stack did not start: The official Pub/Sub emulator")
        .contains("google-cloud-cli-pubsub-emulator");
  }
}
