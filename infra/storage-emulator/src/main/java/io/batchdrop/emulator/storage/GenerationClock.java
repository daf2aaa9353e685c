package io.batchdrop.emulator.storage;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out object generations: microseconds since the epoch like Cloud Storage's, but strictly
 * increasing even when two writes land in the same microsecond or the clock steps back.
 */
final class GenerationClock {
  private final Clock clock;
  private final AtomicLong last = new AtomicLong();

  GenerationClock(Clock clock) {
    this.clock = clock;
  }

  long next() {
    Instant now = clock.instant();
    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    return last.updateAndGet(previous -> Math.max(previous + 1, micros));
  }

  /** Makes every later generation larger than one already handed out (objects loaded from disk). */
  void observe(long generation) {
    last.accumulateAndGet(generation, Math::max);
  }

  Instant now() {
    return clock.instant();
  }
}
