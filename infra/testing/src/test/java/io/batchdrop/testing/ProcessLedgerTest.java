package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLedgerTest {

  @Test
  void aLaterRunStopsTheEmulatorsOfAJvmThatWasKilledOutright(@TempDir Path tmp) throws Exception {
    Process owner = startOwnerJvm(tmp);
    long emulatorPid = Long.parseLong(firstLine(owner));
    ProcessHandle emulator = ProcessHandle.of(emulatorPid).orElseThrow();

    owner.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(emulator.isAlive()).as("orphaned emulator").isTrue();

    ProcessLedger ledger = new ProcessLedger(tmp.resolve("batchdrop-emulators"));
    assertThat(ledger.stopOrphans()).containsExactly(emulatorPid);
    assertThat(emulator.isAlive()).isFalse();
    assertThat(ledger.stopOrphans()).isEmpty();
  }

  @Test
  void emulatorsOfALiveJvmAreLeftAlone(@TempDir Path tmp) {
    EmulatorCommand command =
        new EmulatorCommand(
            "stand-in", java.util.List.of("sh", "-c", "echo ready; exec sleep 600"), "ready", 1);
    ProcessLedger ledger = new ProcessLedger(tmp);
    try (EmulatorProcess emulator =
        EmulatorProcess.start(command, java.time.Duration.ofSeconds(30))) {
      ledger.record(ProcessHandle.of(emulator.pid()).orElseThrow());

      assertThat(ledger.stopOrphans()).isEmpty();
      assertThat(ProcessHandle.of(emulator.pid())).isPresent();
    }
  }

  private static Process startOwnerJvm(Path tmp) throws IOException {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + tmp,
            "-cp",
            System.getProperty("java.class.path"),
            KilledOwnerMain.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static String firstLine(Process process) throws IOException {
    return new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }
}
