package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.JobState;
import java.time.Duration;

/** The knobs as they were when a job was created: how that job will run. */
record JobPlan(
    Duration pendingDelay,
    Duration runningDelay,
    JobState ending,
    boolean partialOutput,
    int outputFiles,
    boolean invalidJsonFailsJob,
    int hugeResponseChars) {

  boolean writesNoRows() {
    return ending == JobState.JOB_STATE_EXPIRED || (endsEarly() && !partialOutput);
  }

  boolean writesHalfOfRows() {
    return endsEarly() && partialOutput;
  }

  private boolean endsEarly() {
    return ending == JobState.JOB_STATE_FAILED || ending == JobState.JOB_STATE_CANCELLED;
  }
}
