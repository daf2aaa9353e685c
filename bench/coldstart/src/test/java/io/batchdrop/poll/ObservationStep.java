package io.batchdrop.poll;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;

/**
 * {@code Observation.of(job).digest()}, what poll does with every Vertex answer, for {@code
 * FirstUseBreakdown} (same package on the class path, so the package-private record stays so).
 */
public final class ObservationStep {
  private ObservationStep() {}

  public static String digest(BatchPredictionJob job) {
    return Observation.of(job).digest();
  }
}
