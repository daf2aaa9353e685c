package io.batchdrop.cloud.jobs;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a Vertex {@code JobState} means to Batchdrop (reference §3.1). EXPIRED and
 * PARTIALLY_SUCCEEDED are terminal too, which several of Google's own SDK loops forget.
 */
public final class VertexStates {
  public static final Set<JobState> TERMINAL =
      EnumSet.of(
          JobState.JOB_STATE_SUCCEEDED,
          JobState.JOB_STATE_FAILED,
          JobState.JOB_STATE_CANCELLED,
          JobState.JOB_STATE_EXPIRED,
          JobState.JOB_STATE_PARTIALLY_SUCCEEDED);
  private static final Set<JobState> WAITING =
      EnumSet.of(JobState.JOB_STATE_QUEUED, JobState.JOB_STATE_PENDING);

  /** States a Gemini batch job should never sit in: someone has to look. */
  private static final Set<JobState> ODD =
      EnumSet.of(JobState.JOB_STATE_UNSPECIFIED, JobState.JOB_STATE_PAUSED, JobState.UNRECOGNIZED);

  private VertexStates() {}

  public static boolean isTerminal(BatchPredictionJob job) {
    return TERMINAL.contains(job.getState());
  }

  public static boolean isWaiting(BatchPredictionJob job) {
    return WAITING.contains(job.getState());
  }

  public static boolean isOdd(BatchPredictionJob job) {
    return ODD.contains(job.getState());
  }

  /**
   * The name recorded in {@code state}; a number the client does not know is kept in {@code
   * stateValue}.
   */
  public static String name(BatchPredictionJob job) {
    return job.getState().name();
  }
}
