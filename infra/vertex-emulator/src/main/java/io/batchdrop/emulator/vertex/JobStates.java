package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** The state changes of a job resource, with the times Vertex sets on each. */
final class JobStates {

  static final Set<JobState> TERMINAL =
      EnumSet.of(
          JobState.JOB_STATE_SUCCEEDED,
          JobState.JOB_STATE_FAILED,
          JobState.JOB_STATE_CANCELLED,
          JobState.JOB_STATE_EXPIRED,
          JobState.JOB_STATE_PARTIALLY_SUCCEEDED);

  private JobStates() {}

  /**
   * Unknown state numbers (UNRECOGNIZED) count as not terminal, as a careful poller treats them.
   */
  static boolean isTerminal(BatchPredictionJob job) {
    return job.getState() != JobState.UNRECOGNIZED && TERMINAL.contains(job.getState());
  }

  static BatchPredictionJob running(BatchPredictionJob job, Instant now) {
    return job.toBuilder()
        .setState(JobState.JOB_STATE_RUNNING)
        .setStartTime(Times.timestamp(now))
        .setUpdateTime(Times.timestamp(now))
        .build();
  }

  static BatchPredictionJob cancelling(BatchPredictionJob job, Instant now) {
    return job.toBuilder()
        .setState(JobState.JOB_STATE_CANCELLING)
        .setUpdateTime(Times.timestamp(now))
        .build();
  }

  /**
   * Ends a job: counts and output directory from its run when there is one, and the error of FAILED
   * / CANCELLED jobs (a run's own failure, else INTERNAL).
   */
  static BatchPredictionJob terminal(
      BatchPredictionJob job, JobState state, Optional<RunResult> result, Instant now) {
    BatchPredictionJob.Builder ended =
        job.toBuilder()
            .clearError()
            .setState(state)
            .setEndTime(Times.timestamp(now))
            .setUpdateTime(Times.timestamp(now));
    result.ifPresent(run -> addRunOutput(ended, run));
    if (state == JobState.JOB_STATE_FAILED) {
      ended.setError(
          result
              .flatMap(RunResult::failure)
              .orElse(status(Code.INTERNAL, "System error. Please try this operation again.")));
    } else if (state == JobState.JOB_STATE_CANCELLED) {
      ended.setError(status(Code.CANCELLED, "CANCELED"));
    }
    return ended.build();
  }

  /** Adds the counts and output directory of a job's run. */
  static BatchPredictionJob withRunOutput(BatchPredictionJob job, RunResult result) {
    BatchPredictionJob.Builder withOutput = job.toBuilder();
    addRunOutput(withOutput, result);
    return withOutput.build();
  }

  private static void addRunOutput(BatchPredictionJob.Builder job, RunResult result) {
    result.stats().ifPresent(job::setCompletionStats);
    result
        .outputDirectory()
        .ifPresent(dir -> job.getOutputInfoBuilder().setGcsOutputDirectory(dir));
  }

  /** A state set from outside (a test's {@code forceState}); the times follow the state. */
  static BatchPredictionJob forced(
      BatchPredictionJob job, JobState state, Optional<RunResult> result, Instant now) {
    if (TERMINAL.contains(state)) {
      return terminal(job, state, result, now);
    }
    BatchPredictionJob.Builder forced =
        job.toBuilder().setState(state).clearEndTime().setUpdateTime(Times.timestamp(now));
    if (state == JobState.JOB_STATE_RUNNING && !job.hasStartTime()) {
      forced.setStartTime(Times.timestamp(now));
    }
    return forced.build();
  }

  static BatchPredictionJob forcedValue(BatchPredictionJob job, int stateNumber, Instant now) {
    return job.toBuilder().setStateValue(stateNumber).setUpdateTime(Times.timestamp(now)).build();
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }
}
