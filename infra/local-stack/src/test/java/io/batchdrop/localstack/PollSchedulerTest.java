package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local scheduler on a clock of the test's: time passes only when the test says so. */
class PollSchedulerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Time stands still but for waits, which it jumps over, and ticks, which take what they say. */
  private static final class FakeClock implements PollScheduler.Clock {
    private final int ticks;
    private final CountDownLatch done = new CountDownLatch(1);
    private long now;
    private int waits;

    FakeClock(int ticks) {
      this.ticks = ticks;
    }

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    @Override
    public synchronized void sleepUntil(long nanoTime) throws InterruptedException {
      if (++waits > ticks) {
        done.countDown();
        throw new InterruptedException("the test has seen its ticks");
      }
      now = Math.max(now, nanoTime);
    }

    synchronized void pass(long nanos) {
      now += nanos;
    }
  }

  @Test
  void aTickThatRunsPastTheNextOnesIsFollowedByOneLateTickNotABurst() throws Exception {
    FakeClock clock = new FakeClock(5);
    List<Long> started = new ArrayList<>();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PollScheduler scheduler =
        new PollScheduler(
            () -> {
              started.add(clock.nanoTime() / SECOND);
              // The first call takes 35 s, past the ticks due at 20, 30 and 40 s; the others 1 s.
              clock.pass((started.size() == 1 ? 35 : 1) * SECOND);
              return "{}";
            },
            Duration.ofSeconds(10),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            clock)) {
      assertThat(clock.done.await(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(started).containsExactly(10L, 45L, 50L, 60L, 70L);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("[scheduler]   tick → poll answered {}");
  }

  @Test
  void aFailedTickIsReportedAndTheNextComesOnSchedule() throws Exception {
    FakeClock clock = new FakeClock(2);
    List<Long> started = new ArrayList<>();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try (PollScheduler scheduler =
        new PollScheduler(
            () -> {
              started.add(clock.nanoTime() / SECOND);
              throw new IllegalStateException("poll did not answer");
            },
            Duration.ofSeconds(10),
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            clock)) {
      assertThat(clock.done.await(30, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(started).containsExactly(10L, 20L);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("[scheduler]   tick failed: poll did not answer");
  }
}
