package io.batchdrop.cloud.jobs;

import com.google.api.gax.rpc.ApiException;
import io.batchdrop.cloud.log.StructuredLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The batch backends a deployment may use, each built on first use (a deployment that never sees a
 * {@code gemini-api} file never reads the API key). A job document names its backend in {@link
 * JobDoc#BACKEND}; documents written before there were two say nothing and mean {@link #VERTEX}.
 */
public final class Backends {
  public static final String VERTEX = "vertex";
  public static final String GEMINI_API = "gemini-api";
  public static final Set<String> KNOWN = Set.of(VERTEX, GEMINI_API);
  private static final StructuredLog LOG = StructuredLog.forComponent("jobs");

  private final Map<String, Supplier<BatchBackend>> backends;

  public Backends(Map<String, Supplier<BatchBackend>> backends) {
    this.backends = Map.copyOf(new LinkedHashMap<>(backends));
  }

  /** Only this backend, for callers (and tests) that know no other. */
  public static Backends of(BatchBackend backend) {
    return new Backends(Map.of(backend.id(), () -> backend));
  }

  /** The backend a job document names; null or absent means Vertex. */
  public BatchBackend get(String id) {
    String name = id == null ? VERTEX : id;
    Supplier<BatchBackend> backend = backends.get(name);
    if (backend == null) {
      throw new IllegalArgumentException(
          "no batch backend \""
              + name
              + "\" in this deployment; expected one of "
              + backends.keySet());
    }
    return backend.get();
  }

  /**
   * The backend of a recorded job name: Gemini API batches are {@code batches/ID}, Vertex jobs
   * {@code projects/P/locations/L/batchPredictionJobs/ID}.
   */
  public BatchBackend byJobName(String name) {
    return get(name != null && name.startsWith("batches/") ? GEMINI_API : VERTEX);
  }

  /**
   * Asks each job's backend to cancel it, for a run that ends before its jobs do. A refusal is
   * logged and not retried: poll keeps tracking the job and sees it end either way.
   */
  public void cancelEach(Object runId, List<String> jobNames) {
    for (String name : jobNames) {
      try {
        byJobName(name).cancel(name);
      } catch (ApiException e) {
        LOG.warning()
            .run(runId)
            .with("vertex_job", name)
            .with("code", e.getStatusCode().getCode())
            .log("could not cancel a job of an ended run; poll sees it finish");
      }
    }
  }
}
