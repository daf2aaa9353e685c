package io.batchdrop.jobs;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import io.batchdrop.config.BatchdropConfig;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Creates a Vertex batch job at most once. Vertex has no request id (reference §0.4), so after any
 * answer that leaves it unknown whether the job exists (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL,
 * UNKNOWN, ABORTED) the job is looked up by its {@code batchdrop-job} label before another create.
 * RESOURCE_EXHAUSTED means it was not created and is retried directly.
 */
public final class JobCreator {
  private static final Set<Code> NOT_CREATED = Set.of(Code.RESOURCE_EXHAUSTED);
  private static final Set<Code> MAYBE_CREATED =
      Set.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.INTERNAL, Code.UNKNOWN, Code.ABORTED);

  /** Waits between attempts; a plain sleep in production, where nothing else needs the thread. */
  public interface Backoff {
    void pause(Duration duration) throws InterruptedException;
  }

  private final JobServiceClient client;
  private final String parent;
  private final BatchdropConfig.Retry retry;
  private final Backoff backoff;

  public JobCreator(JobServiceClient client, BatchdropConfig config, Backoff backoff) {
    this.client = client;
    this.parent = "projects/" + config.projectId() + "/locations/" + config.location();
    this.retry = config.vertexRetry();
    this.backoff = backoff;
  }

  /**
   * Creates the job, or adopts the one that already carries its label.
   *
   * @param mayExist true when an earlier invocation may have sent the create already
   */
  public BatchPredictionJob createOrAdopt(JobSpec spec, boolean mayExist)
      throws CreateFailure, InterruptedException {
    boolean lookFirst = mayExist;
    ApiException last = null;
    for (int attempt = 1; attempt <= retry.maxAttempts(); attempt++) {
      if (attempt > 1) {
        backoff.pause(retry.backoff(attempt - 1));
      }
      try {
        if (lookFirst) {
          Optional<BatchPredictionJob> existing = findByLabel(spec);
          if (existing.isPresent()) {
            return existing.get();
          }
        }
        return client.createBatchPredictionJob(parent, spec.toBatchPredictionJob());
      } catch (ApiException e) {
        Code code = e.getStatusCode().getCode();
        if (!NOT_CREATED.contains(code) && !MAYBE_CREATED.contains(code)) {
          throw new CreateFailure(code, true, describe(e), e);
        }
        lookFirst = lookFirst || MAYBE_CREATED.contains(code);
        last = e;
      }
    }
    throw new CreateFailure(last.getStatusCode().getCode(), false,
        "gave up after " + retry.maxAttempts() + " attempts: " + describe(last), last);
  }

  /** The job carrying this spec's label, if Vertex knows one. */
  public Optional<BatchPredictionJob> findByLabel(JobSpec spec) {
    ListBatchPredictionJobsRequest request = ListBatchPredictionJobsRequest.newBuilder()
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

  private static String describe(ApiException e) {
    return e.getStatusCode().getCode() + ": " + e.getMessage();
  }
}
