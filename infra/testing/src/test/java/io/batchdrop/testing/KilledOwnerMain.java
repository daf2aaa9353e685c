package io.batchdrop.testing;

import java.time.Duration;
import java.util.List;

/**
 * Run in a child JVM by {@link ProcessLedgerTest}: starts a stand-in emulator, prints its PID and
 * waits to be killed.
 */
public final class KilledOwnerMain {

  private KilledOwnerMain() {}

  public static void main(String[] args) throws Exception {
    EmulatorCommand command =
        new EmulatorCommand(
            "stand-in", List.of("sh", "-c", "echo ready; exec sleep 600"), "ready", 1);
    EmulatorProcess emulator = EmulatorProcess.start(command, Duration.ofSeconds(30));
    System.out.println(emulator.pid());
    System.out.flush();
    System.in.read();
  }
}
