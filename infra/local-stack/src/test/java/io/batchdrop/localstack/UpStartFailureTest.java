package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second {@code ./batchdrop up} on the ports of one already running: refused, saying which port
 * is taken, and leaving the running stack's settings where they are.
 */
class UpStartFailureTest {

  @Test
  void anUpRefusedBecauseItsStoragePortIsTakenNamesThePortAndLeavesTheRunningStacksEnvFile(
      @TempDir Path dir) throws Exception {
    Path envFile = dir.resolve("up.env");
    String running = "export STORAGE_EMULATOR_HOST='http://127.0.0.1:9020'\n";
    Files.writeString(envFile, running);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Throwable failure;
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int base = taken.getLocalPort();
      Up up =
          new Up(
              UpOptions.parse(
                  List.of("--port-base", Integer.toString(base), "--env-file", envFile.toString())),
              new PrintStream(printed, true, StandardCharsets.UTF_8));
      failure = catchThrowable(up::start);
      up.stop();

      assertThat(failure).as("the start of a stack whose storage port is taken").isNotNull();
      assertThat(Up.reason(failure))
          .contains("storage emulator")
          .contains("127.0.0.1:" + base)
          .contains("Address already in use");
    }
    assertThat(envFile).as("the running stack's settings").hasContent(running.strip());
  }
}
