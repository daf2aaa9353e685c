package io.batchdrop.poll;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.Timestamp;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.jobs.VertexStates;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decides which stuck thresholds a job has crossed that have not fired yet. Each threshold fires
 * once: {@code queued} (QUEUED / PENDING too long since create), {@code running} (RUNNING too long
 * since start: Vertex cuts jobs at 24 h, so past that something is wrong; since create for a
 * backend that reports no start, the Gemini API, whose batches expire 48 h after it), and {@code
 * state_N} for PAUSED, UNSPECIFIED or a state number the client does not know (once per number).
 */
final class Watchdog {
  private final Duration stuckQueued;
  private final Duration stuckRunning;

  Watchdog(BatchdropConfig.Poll settings) {
    this.stuckQueued = settings.stuckQueued();
    this.stuckRunning = settings.stuckRunning();
  }

  /** Threshold names crossed now and absent from {@code fired} (the job's {@code stuck} map). */
  List<String> newlyCrossed(BatchPredictionJob job, Map<String, Object> fired, Instant now) {
    List<String> crossed = new ArrayList<>();
    if (VertexStates.isWaiting(job)
        && job.hasCreateTime()
        && olderThan(job.getCreateTime(), stuckQueued, now)) {
      crossed.add("queued");
    }
    Timestamp started =
        job.hasStartTime() ? job.getStartTime() : job.hasCreateTime() ? job.getCreateTime() : null;
    if (job.getState() == JobState.JOB_STATE_RUNNING
        && started != null
        && olderThan(started, stuckRunning, now)) {
      crossed.add("running");
    }
    if (VertexStates.isOdd(job)) {
      crossed.add("state_" + job.getStateValue());
    }
    crossed.removeIf(fired::containsKey);
    return crossed;
  }

  private static boolean olderThan(Timestamp since, Duration threshold, Instant now) {
    Instant start = Instant.ofEpochSecond(since.getSeconds(), since.getNanos());
    return Duration.between(start, now).compareTo(threshold) >= 0;
  }
}
