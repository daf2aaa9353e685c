package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.JobState;
import com.google.rpc.Code;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves jobs PENDING → RUNNING → terminal on their own. With zero delays every step runs at once on
 * the caller's thread, so a job is finished when create returns and tests need no waiting.
 */
final class JobLifecycle {

  private static final System.Logger LOG = System.getLogger(JobLifecycle.class.getName());

  private final JobStore store;
  private final BatchRunner runner;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  JobLifecycle(
      JobStore store, BatchRunner runner, ScheduledExecutorService scheduler, Clock clock) {
    this.store = store;
    this.runner = runner;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  void start(StoredJob job) {
    after(job.plan().pendingDelay(), () -> leavePending(job.id(), job.version()));
  }

  /**
   * Non-terminal → CANCELLING → CANCELLED (after the job's pending delay); terminal →
   * FAILED_PRECONDITION.
   */
  void cancel(String name) {
    StoredJob cancelling =
        store.change(
            name,
            stored -> {
              if (JobStates.isTerminal(stored.job())) {
                throw Status.FAILED_PRECONDITION
                    .withDescription(
                        "BatchPredictionJob "
                            + name
                            + " is in state "
                            + stored.job().getState()
                            + " and cannot be cancelled.")
                    .asRuntimeException();
              }
              return stored.withJob(JobStates.cancelling(stored.job(), clock.instant()));
            });
    after(
        cancelling.plan().pendingDelay(),
        () -> end(cancelling.id(), cancelling.version(), JobState.JOB_STATE_CANCELLED));
  }

  private void leavePending(long id, long version) {
    Optional<StoredJob> started =
        store.changeIfAt(
            id,
            version,
            stored ->
                stored.plan().ending() == JobState.JOB_STATE_EXPIRED
                    ? stored.withJob(
                        JobStates.terminal(
                            stored.job(),
                            JobState.JOB_STATE_EXPIRED,
                            Optional.empty(),
                            clock.instant()))
                    : stored.withJob(JobStates.running(stored.job(), clock.instant())));
    if (started.isEmpty() || started.get().job().getState() != JobState.JOB_STATE_RUNNING) {
      return;
    }
    StoredJob running = started.get();
    RunResult result = runSafely(running);
    store.update(id, stored -> rememberRun(stored, result));
    if (result.failure().isPresent()) {
      end(id, running.version(), JobState.JOB_STATE_FAILED);
    } else {
      after(
          running.plan().runningDelay(), () -> end(id, running.version(), running.plan().ending()));
    }
  }

  /**
   * A job cancelled while its rows ran still reports the rows it finished, as Vertex exports them.
   */
  private static StoredJob rememberRun(StoredJob stored, RunResult result) {
    StoredJob remembered = stored.withResult(result);
    return stored.job().getState() == JobState.JOB_STATE_CANCELLED
        ? remembered.withJob(JobStates.withRunOutput(stored.job(), result))
        : remembered;
  }

  private RunResult runSafely(StoredJob running) {
    try {
      return runner.run(running.job(), running.plan(), running.id());
    } catch (RuntimeException e) {
      // Only the exception type: a message could quote a row, and rows are never logged.
      LOG.log(
          System.Logger.Level.WARNING,
          "batch prediction job " + running.id() + " broke: " + e.getClass().getName());
      return RunResult.failed(Code.INTERNAL, "System error. Please try this operation again.");
    }
  }

  private void end(long id, long version, JobState state) {
    store.changeIfAt(
        id,
        version,
        stored ->
            stored.withJob(
                JobStates.terminal(stored.job(), state, stored.result(), clock.instant())));
  }

  private void after(Duration delay, Runnable step) {
    if (delay.isZero()) {
      step.run();
    } else {
      scheduler.schedule(step, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }
}
