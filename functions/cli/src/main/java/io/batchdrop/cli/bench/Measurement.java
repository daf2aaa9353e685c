package io.batchdrop.cli.bench;

import java.util.List;

/**
 * The timed full runs of one contender over a file of {@code bytes}: wall-clock and CPU seconds.
 */
record Measurement(
    String name,
    long bytes,
    List<Double> runSeconds,
    List<Double> runCpuSeconds,
    long peakHeapUsedBytes,
    long maxLiveHeapBytes) {
  private static final double MB = 1 << 20;

  double bestSeconds() {
    return runSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  double mbPerSecond() {
    return bytes / MB / bestSeconds();
  }

  /**
   * Per second of the measuring thread's own CPU time: steadier than wall time on a shared machine.
   */
  double mbPerCpuSecond() {
    return bytes / MB / runCpuSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }
}
