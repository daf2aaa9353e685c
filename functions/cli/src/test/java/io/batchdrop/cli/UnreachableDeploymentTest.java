package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tool as an operator runs it, in a JVM of its own, against a deployment it cannot reach. */
class UnreachableDeploymentTest {
  @TempDir Path dir;

  @Test
  void aFirestoreHostThatDoesNotResolveIsOnePlainLineSayingWhatFailedAndWhatToCheck()
      throws Exception {
    Path err = dir.resolve("stderr");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "status",
                "0123456789abcdef0123")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile());
    builder.environment().clear();
    builder.environment().put("HOME", dir.toString());
    builder.environment().put("GOOGLE_CLOUD_PROJECT", "p");
    builder.environment().put("BATCHDROP_INBOX_BUCKET", "inbox");
    builder.environment().put("BATCHDROP_WORK_BUCKET", "work");
    // .invalid never resolves (RFC 2606): the channel's name resolution fails at once.
    builder.environment().put("FIRESTORE_EMULATOR_HOST", "firestore.invalid:8080");
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ended").isTrue();

    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(lines).as(String.join("\n", lines)).hasSize(1);
    assertThat(lines.get(0))
        .startsWith(
            "batchdrop: cannot read runs/0123456789abcdef0123 from Firestore: UNAVAILABLE: ")
        .contains("firestore.invalid")
        .endsWith(
            "; check that Firestore is reachable from here: the network, and"
                + " FIRESTORE_EMULATOR_HOST (firestore.invalid:8080)")
        .doesNotContain("Exception")
        .doesNotContain("io.grpc");
  }
}
