package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmulatorProcessTest {

  @Test
  void aProcessThatExitsBeforeItIsReadyFailsWithItsOutput() {
    EmulatorCommand command =
        new EmulatorCommand(
            "broken", List.of("sh", "-c", "echo no such flag; exit 3"), "listening", 1);

    assertThatThrownBy(() -> EmulatorProcess.start(command, Duration.ofSeconds(30)))
        .isInstanceOf(EmulatorStartException.class)
        .hasMessageContaining("The broken emulator")
        .hasMessageContaining("exited with code 3 before it was ready")
        .hasMessageContaining("no such flag");
  }

  @Test
  void aProcessThatNeverGetsReadyIsStoppedAndReported() {
    String marker = "never-ready-" + UUID.randomUUID();
    EmulatorCommand command =
        new EmulatorCommand(
            "silent",
            List.of("sh", "-c", "echo booting; sleep 600 & wait", marker),
            "listening",
            1);

    assertThatThrownBy(() -> EmulatorProcess.start(command, Duration.ofMillis(500)))
        .isInstanceOf(EmulatorStartException.class)
        .hasMessageContaining("did not print \"listening\" within")
        .hasMessageContaining("booting");
    assertThat(ProcessHandle.current().descendants())
        .noneMatch(process -> process.info().commandLine().orElse("").contains(marker));
  }

  @Test
  void anEmulatorThatSaysItsPortIsInUseAndHangsFailsAtOnceNotAfterTheStartTimeout() {
    String marker = "bind-hangs-" + UUID.randomUUID();
    // As the official Pub/Sub emulator does: main dies of a BindException, the JVM stays up.
    EmulatorCommand command =
        new EmulatorCommand(
            "pubsub",
            List.of(
                "sh",
                "-c",
                "echo 'Exception in thread \"main\" java.net.BindException: Address already in"
                    + " use'; sleep 600 & wait",
                marker),
            "Server started",
            9022);

    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(() -> EmulatorProcess.start(command, Duration.ofSeconds(120)))
                .isInstanceOf(EmulatorStartException.class)
                .hasMessageContaining("The pubsub emulator on 127.0.0.1:9022 could not listen")
                .hasMessageContaining("Address already in use"));
    assertThat(ProcessHandle.current().descendants())
        .noneMatch(process -> process.info().commandLine().orElse("").contains(marker));
  }

  @Test
  void anEmulatorWhosePortWasTakenMeanwhileIsRelaunchedOnAnotherOne() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int takenPort = taken.getLocalPort();
      // Stands in for an emulator: it fails to bind the taken port and serves on any other.
      java.util.function.IntFunction<EmulatorCommand> onPort =
          port ->
              new EmulatorCommand(
                  "binding",
                  List.of(
                      "sh",
                      "-c",
                      port == takenPort
                          ? "echo 'java.net.BindException: Address already in use'; exit 1"
                          : "echo listening; sleep 600 & wait"),
                  "listening",
                  port);
      List<EmulatorProcess> launched = new java.util.ArrayList<>();

      EmulatorProcess ready =
          EmulatorProcess.awaitReadyOnAFreePort(
              EmulatorProcess.launch(onPort.apply(takenPort)),
              onPort,
              Duration.ofSeconds(30),
              process -> {
                launched.add(process);
                return process;
              });
      try {
        assertThat(ready.hostPort()).isNotEqualTo("127.0.0.1:" + takenPort);
        assertThat(launched).containsExactly(ready);
      } finally {
        ready.close();
      }
    }
  }
}
