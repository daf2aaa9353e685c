package io.batchdrop.emulator.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The time the finalize notifier reads and waits on: the system's, or a test's own. */
interface RetryTimer extends AutoCloseable {

  Instant now();

  /** Runs {@code task} after {@code delay}; after {@link #close} does nothing. */
  void schedule(Runnable task, Duration delay);

  boolean closed();

  @Override
  void close();

  /** The system clock and one daemon timer thread. */
  static RetryTimer system() {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("storage-emulator-notify-timer"));
    Clock clock = Clock.systemUTC();
    return new RetryTimer() {
      @Override
      public Instant now() {
        return clock.instant();
      }

      @Override
      public void schedule(Runnable task, Duration delay) {
        try {
          timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
          // Closing: undelivered events go with the emulator.
        }
      }

      @Override
      public boolean closed() {
        return timer.isShutdown();
      }

      @Override
      public void close() {
        timer.shutdownNow();
      }
    };
  }
}
