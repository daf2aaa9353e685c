package io.batchdrop.cloud.jobs;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.util.Optional;

/**
 * Vertex AI batch prediction through the official {@code JobServiceClient}, whose call deadlines
 * and retries {@code CloudClients} sets. A job is found again by its {@code batchdrop-job} label;
 * Vertex writes the output itself under the prefix the job was created with.
 */
public final class VertexBackend implements BatchBackend {
  private final JobServiceClient client;
  private final String parent;

  public VertexBackend(JobServiceClient client, BatchdropConfig config) {
    this.client = client;
    this.parent = "projects/" + config.projectId() + "/locations/" + config.location();
  }

  @Override
  public String id() {
    return Backends.VERTEX;
  }

  @Override
  public Optional<BatchPredictionJob> find(JobSpec spec) {
    ListBatchPredictionJobsRequest request =
        ListBatchPredictionJobsRequest.newBuilder()
            .setParent(parent)
            .setFilter(spec.labelFilter())
            .build();
    for (BatchPredictionJob job : client.listBatchPredictionJobs(request).iterateAll()) {
      if (spec.jobId().value().equals(job.getLabelsMap().get(JobSpec.JOB_LABEL))) {
        return Optional.of(job);
      }
    }
    return Optional.empty();
  }

  @Override
  public BatchPredictionJob create(JobSpec spec, CreateGate gate) {
    // Nothing comes before the request: the caller's look at the gate was just now.
    return client.createBatchPredictionJob(parent, spec.toBatchPredictionJob());
  }

  @Override
  public BatchPredictionJob get(String name, String outputUriPrefix) {
    return client.getBatchPredictionJob(name);
  }

  @Override
  public void cancel(String name) {
    client.cancelBatchPredictionJob(name);
  }
}
