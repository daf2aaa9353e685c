package io.batchdrop.publish;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves on by a step every time it is read: so many readings spend a budget. */
final class SteppingClock extends Clock {
  private final AtomicLong millis = new AtomicLong(Instant.now().toEpochMilli());
  private final Duration step;

  SteppingClock(Duration step) {
    this.step = step;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.getAndAdd(step.toMillis()));
  }

  @Override
  public java.time.ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(java.time.ZoneId zone) {
    return this;
  }
}
