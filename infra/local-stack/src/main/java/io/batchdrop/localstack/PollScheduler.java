package io.batchdrop.localstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Scheduler, locally: calls the stack's scheduled functions every {@code every}. A call that
 * fails (an error, or no answer by the job's attempt deadline, {@link LocalStack#tick()}) is
 * reported and not retried, as the deployment's job does (the next tick is the retry). Calls never
 * overlap: as Cloud Scheduler never has two attempts of a job outstanding, the tick that falls due
 * while one still runs starts late, when it ends; ticks that fell due before that one are not made
 * up, so a long call is followed by one late tick, not by a burst of them.
 */
final class PollScheduler implements AutoCloseable {

  /** Where the scheduler reads the time and waits for it. */
  interface Clock {
    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepUntil(long nanoTime) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanoTime - System.nanoTime());
          }
        };

    long nanoTime();

    void sleepUntil(long nanoTime) throws InterruptedException;
  }

  private final Thread thread;

  PollScheduler(LocalStack stack, Duration every, PrintStream out) {
    this(stack::tick, every, out, Clock.SYSTEM);
  }

  PollScheduler(Callable<String> tick, Duration every, PrintStream out, Clock clock) {
    long period = every.toNanos();
    thread =
        new Thread(
            () -> {
              long due = clock.nanoTime() + period;
              try {
                while (true) {
                  clock.sleepUntil(due);
                  try {
                    out.println("[scheduler]   tick → poll answered " + tick.call());
                  } catch (InterruptedException e) {
                    return;
                  } catch (Exception e) {
                    out.println("[scheduler]   tick failed: " + e.getMessage());
                  }
                  due += period;
                  long late = clock.nanoTime() - due;
                  if (late > 0) {
                    // The latest tick that fell due meanwhile runs now; the earlier ones are gone.
                    due += late / period * period;
                  }
                }
              } catch (InterruptedException stopping) {
                // close()
              }
            },
            "local-scheduler");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
