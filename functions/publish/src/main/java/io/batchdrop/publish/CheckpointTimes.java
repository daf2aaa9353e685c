package io.batchdrop.publish;

/**
 * Where one invocation's checkpoints spent their time. Reading stops only for {@code stall}: the
 * previous window's checkpoint not yet written when the next window ends, and the checkpoints taken
 * in place (a phase's end, out of time). Waiting for a window's confirmations and writing it happen
 * behind reading, on the checkpoint thread. The sums go into the invocation's last log line.
 */
final class CheckpointTimes {
  private int count;
  private long stallNanos;
  private long confirmNanos;
  private long writeNanos;

  synchronized void written(long confirmNanos, long writeNanos) {
    count++;
    this.confirmNanos += confirmNanos;
    this.writeNanos += writeNanos;
  }

  synchronized void stalled(long nanos) {
    stallNanos += nanos;
  }

  synchronized int count() {
    return count;
  }

  synchronized long stallMillis() {
    return stallNanos / 1_000_000;
  }

  synchronized long confirmMillis() {
    return confirmNanos / 1_000_000;
  }

  synchronized long writeMillis() {
    return writeNanos / 1_000_000;
  }
}
