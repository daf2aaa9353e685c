package io.batchdrop.publish;

/**
 * Where one invocation's checkpoints spent their time: waiting for the window's messages to be
 * confirmed, and writing the lease-checked progress. Reading stops during both, so these sums are
 * what the checkpoints cost the throughput; they go into the invocation's last log line.
 */
final class CheckpointTimes {
  private int count;
  private long flushNanos;
  private long writeNanos;

  void add(long flushNanos, long writeNanos) {
    count++;
    this.flushNanos += flushNanos;
    this.writeNanos += writeNanos;
  }

  int count() {
    return count;
  }

  long flushMillis() {
    return flushNanos / 1_000_000;
  }

  long writeMillis() {
    return writeNanos / 1_000_000;
  }
}
