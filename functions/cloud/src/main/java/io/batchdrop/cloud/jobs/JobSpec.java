package io.batchdrop.cloud.jobs;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.BatchPredictionJob.InputConfig;
import com.google.cloud.aiplatform.v1.BatchPredictionJob.OutputConfig;
import com.google.cloud.aiplatform.v1.GcsDestination;
import com.google.cloud.aiplatform.v1.GcsSource;
import io.batchdrop.cloud.run.JobId;

/** What one Vertex batch job is made of: its id, model, staged input and its own output prefix. */
public record JobSpec(JobId jobId, String modelResource, String inputUri, String outputUriPrefix) {
  public static final String RUN_LABEL = "batchdrop-run";
  public static final String JOB_LABEL = "batchdrop-job";

  public BatchPredictionJob toBatchPredictionJob() {
    return BatchPredictionJob.newBuilder()
        .setDisplayName(jobId.value())
        .setModel(modelResource)
        .setInputConfig(
            InputConfig.newBuilder()
                .setInstancesFormat("jsonl")
                .setGcsSource(GcsSource.newBuilder().addUris(inputUri)))
        .setOutputConfig(
            OutputConfig.newBuilder()
                .setPredictionsFormat("jsonl")
                .setGcsDestination(GcsDestination.newBuilder().setOutputUriPrefix(outputUriPrefix)))
        .putLabels(RUN_LABEL, jobId.run().value())
        .putLabels(JOB_LABEL, jobId.value())
        .build();
  }

  /** The model's own name, {@code gemini-2.5-flash}: what the Gemini API is asked for. */
  public String model() {
    int models = modelResource.lastIndexOf("/models/");
    return models < 0 ? modelResource : modelResource.substring(models + "/models/".length());
  }

  /** The list filter that finds this job again when the answer to its create was lost. */
  public String labelFilter() {
    return "labels." + JOB_LABEL + "=\"" + jobId.value() + "\"";
  }
}
