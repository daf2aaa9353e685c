package io.batchdrop.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How often {@code --watch} / {@code --wait} refresh, and for how long at most; mixed in. */
final class WatchOptions {
  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      description = "Seconds between refreshes while following a run (default 5).")
  double intervalSeconds = 5;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description =
          "Stop following after this many seconds, exit 1 (default 0: until the run ends).")
  long timeoutSeconds;

  Duration interval() {
    return Duration.ofMillis(Math.max(50, Math.round(intervalSeconds * 1000)));
  }

  Duration timeout() {
    return Duration.ofSeconds(Math.max(0, timeoutSeconds));
  }
}
