package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.GcsDestination;
import com.google.cloud.aiplatform.v1.GcsSource;

/** Batch prediction jobs as the submit function creates them. */
final class JobRequests {

  static final String PARENT = "projects/my-project/locations/us-central1";
  static final String MODEL = "publishers/google/models/gemini-2.5-flash";

  private JobRequests() {}

  static BatchPredictionJob.Builder gemini(
      String displayName, String inputUri, String outputPrefix) {
    BatchPredictionJob.Builder job =
        BatchPredictionJob.newBuilder()
            .setDisplayName(displayName)
            .setModel(MODEL)
            .putLabels("batchdrop-job", displayName);
    job.getInputConfigBuilder()
        .setInstancesFormat("jsonl")
        .setGcsSource(GcsSource.newBuilder().addUris(inputUri));
    job.getOutputConfigBuilder()
        .setPredictionsFormat("jsonl")
        .setGcsDestination(GcsDestination.newBuilder().setOutputUriPrefix(outputPrefix));
    return job;
  }

  static BatchPredictionJob.Builder gemini(String displayName) {
    return gemini(
        displayName,
        "gs://work/runs/r1/input/" + displayName + ".jsonl",
        "gs://work/runs/r1/output/" + displayName + "/");
  }
}
