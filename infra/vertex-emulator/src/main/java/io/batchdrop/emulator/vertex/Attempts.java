package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;

/**
 * Which attempt a job is, for the {@code -once} markers: Batchdrop names a shard's jobs {@code
 * <run>-s<shard>-a<attempt>}, in the {@code batchdrop-job} label and the display name.
 */
final class Attempts {

  static final String JOB_LABEL = "batchdrop-job";
  private static final String FIRST = "-a1";

  private Attempts() {}

  /** True for a job whose id (the label, else the display name) ends in {@code -a1}. */
  static boolean isFirst(BatchPredictionJob job) {
    String id = job.getLabelsOrDefault(JOB_LABEL, job.getDisplayName());
    return id.endsWith(FIRST);
  }
}
