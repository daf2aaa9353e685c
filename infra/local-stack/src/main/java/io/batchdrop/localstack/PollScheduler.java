package io.batchdrop.localstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cloud Scheduler, locally: calls the stack's scheduled functions at a fixed rate. A call that
 * fails (an error, or no answer by the job's attempt deadline, {@link LocalStack#tick()}) is
 * reported and not retried, as the deployment's job does (the next tick is the retry). Calls never
 * overlap: as Cloud Scheduler never has two attempts of a job outstanding, a tick due while one
 * still runs starts late.
 */
final class PollScheduler implements AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "local-scheduler");
            thread.setDaemon(true);
            return thread;
          });

  PollScheduler(LocalStack stack, Duration every, PrintStream out) {
    timer.scheduleAtFixedRate(
        () -> {
          try {
            out.println("[scheduler]   tick → poll answered " + stack.tick());
          } catch (Exception e) {
            out.println("[scheduler]   tick failed: " + e.getMessage());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    timer.shutdownNow();
    timer.awaitTermination(10, TimeUnit.SECONDS);
  }
}
