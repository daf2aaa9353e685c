package io.batchdrop.poll;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import io.batchdrop.cloud.jobs.VertexStates;
import java.time.Duration;
import java.time.Instant;

/**
 * When a job is due again. Running jobs (and CANCELLING / UPDATING, which end soon) every tick;
 * waiting jobs back off with their age, because a queue wait can last days (reference §0.7): under
 * 5 minutes old every minute, under 30 minutes every 2, under 2 hours every 5, then every 10.
 * PAUSED, UNSPECIFIED and unknown states every 10 minutes.
 */
final class PollSchedule {
  /**
   * The Scheduler calls poll once a minute; an interval of one tick needs no rescheduling write.
   */
  static final Duration TICK = Duration.ofMinutes(1);

  /** Due a little early, so a job scheduled one tick out is caught by the very next tick. */
  static final Duration SLACK = Duration.ofSeconds(15);

  private PollSchedule() {}

  static Instant nextPollAt(BatchPredictionJob job, Instant now) {
    return now.plus(interval(job, now)).minus(SLACK);
  }

  static Duration interval(BatchPredictionJob job, Instant now) {
    if (VertexStates.isOdd(job)) {
      return Duration.ofMinutes(10);
    }
    if (!VertexStates.isWaiting(job)) {
      return TICK;
    }
    Duration age =
        job.hasCreateTime()
            ? Duration.between(Instant.ofEpochSecond(job.getCreateTime().getSeconds()), now)
            : Duration.ZERO;
    if (age.compareTo(Duration.ofMinutes(5)) < 0) {
      return TICK;
    }
    if (age.compareTo(Duration.ofMinutes(30)) < 0) {
      return Duration.ofMinutes(2);
    }
    if (age.compareTo(Duration.ofHours(2)) < 0) {
      return Duration.ofMinutes(5);
    }
    return Duration.ofMinutes(10);
  }

  /**
   * True when being due on every tick is this job's schedule, so an unchanged job needs no write.
   */
  static boolean everyTick(BatchPredictionJob job, Instant now) {
    return interval(job, now).compareTo(TICK) <= 0 || job.getState() == JobState.JOB_STATE_RUNNING;
  }
}
