package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import java.util.Optional;

/**
 * A job as the emulator keeps it. {@code version} changes with every state change, so a scheduled
 * transition planned for an older version (before a cancel or a forced state) does nothing.
 */
record StoredJob(
    long id,
    String location,
    BatchPredictionJob job,
    JobPlan plan,
    long version,
    Optional<RunResult> result) {

  StoredJob withJob(BatchPredictionJob changed) {
    return new StoredJob(id, location, changed, plan, version + 1, result);
  }

  StoredJob withResult(RunResult runResult) {
    return new StoredJob(id, location, job, plan, version, Optional.of(runResult));
  }
}
