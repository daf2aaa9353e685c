package io.batchdrop.cloud.jobs;

import com.google.api.gax.rpc.ApiException;
import io.batchdrop.cloud.log.StructuredLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no batch backend \""
                        + name
                        + "\" in this deployment; expected one of "
                        + backends.keySet()));
  }

  /**
   * The backend a job document names (null or absent means Vertex), or empty when this deployment
   * has none of that name: one {@code BATCHDROP_ALLOWED_BACKENDS} no longer lists, or a name no
   * Batchdrop knows.
   */
  public Optional<BatchBackend> find(String id) {
    Supplier<BatchBackend> backend = backends.get(id == null ? VERTEX : id);
    return backend == null ? Optional.empty() : Optional.of(backend.get());
  }

  /** The names of this deployment's backends, sorted. */
  public List<String> names() {
    return backends.keySet().stream().sorted().toList();
  }

  /**
   * The backend of a recorded job name: Gemini API batches are {@code batches/ID}, Vertex jobs
   * {@code projects/P/locations/L/batchPredictionJobs/ID}.
   */
  public BatchBackend byJobName(String name) {
    return get(idOfJobName(name));
  }

  private static String idOfJobName(String name) {
    return name != null && name.startsWith("batches/") ? GEMINI_API : VERTEX;
  }

  /**
   * Asks each job's backend to cancel it, for a run that ends before its jobs do. A refusal, or a
   * job on a backend this deployment lacks, is logged and not retried: poll keeps tracking the job
   * (reporting the missing backend) and sees it end either way.
   */
  public void cancelEach(Object runId, List<String> jobNames) {
    for (String name : jobNames) {
      Optional<BatchBackend> backend = find(idOfJobName(name));
      if (backend.isEmpty()) {
        LOG.warning()
            .run(runId)
            .with("vertex_job", name)
            .log("could not cancel a job of an ended run: its backend is not in this deployment");
        continue;
      }
      try {
        backend.get().cancel(name);
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
