package io.batchdrop.cli;

import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.jobs.JobDoc;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the operator commands show of one {@code jobs/{jobId}} document. */
record JobView(
    String id,
    long shard,
    long attempt,
    String state,
    String vertexName,
    boolean active,
    long rows,
    long successful,
    long failedCount,
    long incomplete,
    long published,
    long tokens,
    BigDecimal costUsd,
    Instant createdAt,
    Instant startedAt,
    Instant stateChangedAt,
    List<String> stuck,
    String error) {

  /** Vertex states after which a job changes no more (and our own two terminal ones). */
  static final Set<String> TERMINAL =
      Set.of(
          "JOB_STATE_SUCCEEDED",
          "JOB_STATE_FAILED",
          "JOB_STATE_CANCELLED",
          "JOB_STATE_EXPIRED",
          "JOB_STATE_PARTIALLY_SUCCEEDED",
          JobDoc.CREATE_FAILED,
          JobDoc.LOST);

  /** The fields {@link #of} reads: what a command showing job views reads of each job. */
  static final List<String> FIELDS =
      List.of(
          JobDoc.STATE,
          JobDoc.VERTEX_NAME,
          JobDoc.ACTIVE,
          JobDoc.ROWS,
          JobDoc.STUCK,
          JobDoc.CREATE_ERROR,
          JobDoc.ERROR,
          JobDoc.COMPLETION_STATS,
          JobDoc.CREATE_REQUESTED_AT,
          JobDoc.VERTEX_START_TIME,
          JobDoc.STATE_CHANGED_AT,
          "publish.counts",
          "publish.tokens",
          "publish.cost");

  static JobView of(DocumentSnapshot job) {
    List<String> stuck = new ArrayList<>();
    if (job.get(JobDoc.STUCK) instanceof Map<?, ?> marks) {
      marks.keySet().forEach(k -> stuck.add(String.valueOf(k)));
    }
    String error = job.getString(JobDoc.CREATE_ERROR);
    if (error == null && job.get(JobDoc.ERROR + ".message") instanceof String message) {
      error = message;
    }
    BigDecimal cost = null;
    for (String kind : List.of("inputUsd", "cachedInputUsd", "outputUsd")) {
      BigDecimal part = RunView.decimal(job.get("publish.cost." + kind));
      if (part != null) {
        cost = cost == null ? part : cost.add(part);
      }
    }
    return new JobView(
        job.getId(),
        RunStore.number(job, JobDoc.SHARD),
        RunStore.number(job, JobDoc.ATTEMPT),
        job.getString(JobDoc.STATE),
        job.getString(JobDoc.VERTEX_NAME),
        Boolean.TRUE.equals(job.getBoolean(JobDoc.ACTIVE)),
        RunStore.number(job, JobDoc.ROWS),
        stat(job, "successfulCount"),
        stat(job, "failedCount"),
        stat(job, "incompleteCount"),
        RunStore.number(job, "publish.counts.succeeded")
            + RunStore.number(job, "publish.counts.failed")
            + RunStore.number(job, "publish.counts.missing"),
        RunStore.number(job, "publish.tokens.total"),
        cost,
        RunView.instant(job, JobDoc.CREATE_REQUESTED_AT),
        RunView.instant(job, JobDoc.VERTEX_START_TIME),
        RunView.instant(job, JobDoc.STATE_CHANGED_AT),
        stuck,
        error);
  }

  boolean terminal() {
    return state != null && TERMINAL.contains(state);
  }

  /** Rows Vertex finished, either way. */
  long done() {
    return Math.max(0, successful) + Math.max(0, failedCount);
  }

  private static long stat(DocumentSnapshot job, String name) {
    Object value = job.get(JobDoc.COMPLETION_STATS + "." + name);
    return value instanceof Number n ? n.longValue() : -1;
  }
}
