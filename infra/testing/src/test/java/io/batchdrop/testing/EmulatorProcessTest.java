package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EmulatorProcessTest {

  @Test
  void aProcessThatExitsBeforeItIsReadyFailsWithItsOutput() {
    EmulatorCommand command =
        new EmulatorCommand("broken", List.of("sh", "-c", "echo no such flag; exit 3"), "listening", 1);

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
            "silent", List.of("sh", "-c", "echo booting; sleep 600 & wait", marker), "listening", 1);

    assertThatThrownBy(() -> EmulatorProcess.start(command, Duration.ofMillis(500)))
        .isInstanceOf(EmulatorStartException.class)
        .hasMessageContaining("did not print \"listening\" within")
        .hasMessageContaining("booting");
    assertThat(ProcessHandle.current().descendants())
        .noneMatch(process -> process.info().commandLine().orElse("").contains(marker));
  }
}
