package io.batchdrop.cli.bench;

import java.util.List;

/** The timed full runs of one contender over a file of {@code bytes}. */
record Measurement(String name, long bytes, List<Double> runSeconds, long peakHeapUsedBytes, long maxLiveHeapBytes) {
  private static final double MB = 1 << 20;

  double bestSeconds() {
    return runSeconds.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  double mbPerSecond() {
    return bytes / MB / bestSeconds();
  }
}
