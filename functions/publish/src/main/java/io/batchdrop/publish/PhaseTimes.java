package io.batchdrop.publish;

import io.batchdrop.cloud.log.StructuredLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one invocation's wall time went, phase by phase (start-up, reading, its checkpoint, the
 * leftovers, the run's close, the lease's completion): each {@link #lap} ends a phase where the
 * previous one ended, so the laps add up to the invocation. They go into its last log line, beside
 * the checkpoints' own times, so a slow invocation says which phase was slow.
 */
final class PhaseTimes {
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private long last;

  /** Starts the first phase at {@code startNanos} ({@link System#nanoTime()}). */
  PhaseTimes(long startNanos) {
    this.last = startNanos;
  }

  /** Ends the phase {@code name} now; a phase lapped twice adds up. */
  void lap(String name) {
    long now = System.nanoTime();
    millis.merge(name, (now - last) / 1_000_000, Long::sum);
    last = now;
  }

  /** Adds every phase as {@code <name>_ms}, in the order they first ended. */
  StructuredLog.Entry addTo(StructuredLog.Entry entry) {
    for (Map.Entry<String, Long> phase : millis.entrySet()) {
      entry.with(phase.getKey() + "_ms", phase.getValue());
    }
    return entry;
  }
}
