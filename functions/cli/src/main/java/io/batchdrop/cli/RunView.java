package io.batchdrop.cli;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the operator commands show of {@code runs/{runId}}, read once from its document. */
record RunView(
    String id,
    String source,
    String model,
    String state,
    String reason,
    long rows,
    long valid,
    long invalid,
    long succeeded,
    long failed,
    long missing,
    long published,
    BigDecimal costUsd,
    Map<String, Object> tokens,
    Instant createdAt,
    Instant updatedAt,
    Instant completedAt,
    Instant cancelRequestedAt,
    boolean closed,
    int shards,
    String reportUri,
    List<String> firstFindings) {

  /**
   * @throws OpsException (exit 1) naming the first field of the wrong type ({@link RunFields}):
   *     shown, it would be a guess; rebuilt from, a wrong message
   */
  static RunView of(DocumentSnapshot run) throws OpsException {
    Optional<String> problem = RunFields.problem(run);
    if (problem.isPresent()) {
      throw new OpsException(
          "run " + run.getId() + " cannot be read: " + problem.get(), Main.EXIT_INVALID);
    }
    Object shards = run.get(RunDoc.SHARDS);
    Object tokens = run.get(RunDoc.TOKENS);
    @SuppressWarnings("unchecked")
    Map<String, Object> tokenMap = tokens instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    return new RunView(
        run.getId(),
        run.getString(RunDoc.SOURCE + ".uri"),
        run.getString(RunDoc.MODEL),
        run.getString(RunDoc.STATE),
        run.getString(RunDoc.REASON),
        count(run, "rows"),
        count(run, "valid"),
        count(run, "invalid"),
        count(run, "succeeded"),
        count(run, "failed"),
        count(run, "missing"),
        count(run, "published"),
        decimal(run.get(RunDoc.COST + ".totalUsd")),
        tokenMap,
        instant(run, RunDoc.CREATED_AT),
        instant(run, RunDoc.UPDATED_AT),
        instant(run, RunDoc.COMPLETED_AT),
        instant(run, RunDoc.CANCEL_REQUESTED_AT),
        Boolean.TRUE.equals(run.getBoolean(RunDoc.CLOSED)),
        shards instanceof List<?> list ? list.size() : 0,
        run.getString(RunDoc.REPORT_URI),
        findings(run.get(RunDoc.FIRST_ERRORS)));
  }

  /**
   * The run's first findings as {@code validate} prints them, {@code line:column code message} (the
   * column left out when unknown).
   */
  static List<String> findings(Object firstErrors) {
    if (!(firstErrors instanceof List<?> list)) {
      return List.of();
    }
    return list.stream()
        .filter(Map.class::isInstance)
        .map(Map.class::cast)
        .map(
            f -> {
              long line = f.get("line") instanceof Number n ? n.longValue() : 0;
              long column = f.get("column") instanceof Number n ? n.longValue() : 0;
              return (column > 0 ? line + ":" + column : Long.toString(line))
                  + " "
                  + f.get("code")
                  + " "
                  + f.get("message");
            })
        .toList();
  }

  /**
   * The run will change no more: rejected, cancelled, or closed by publish with its final counts. A
   * run submit failed is {@code FAILED} at once but still gets its rows published, so it ends only
   * when closed, unless it never got as far as staging (then no rows are known).
   */
  boolean ended() {
    if (closed || RunState.REJECTED.name().equals(state)) {
      return true;
    }
    return RunState.FAILED.name().equals(state) && shards == 0;
  }

  /** Every row has its final outcome and every one succeeded. */
  boolean allSucceeded() {
    return ended() && rows > 0 && succeeded == rows;
  }

  static long count(DocumentSnapshot run, String name) {
    return RunStore.number(run, RunDoc.COUNTS + "." + name);
  }

  static Instant instant(DocumentSnapshot doc, String field) {
    Object value = doc.get(field);
    return value instanceof Timestamp t ? t.toDate().toInstant() : null;
  }

  static BigDecimal decimal(Object value) {
    if (value instanceof String s && !s.isBlank()) {
      try {
        return new BigDecimal(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return value instanceof Number n ? new BigDecimal(n.toString()) : null;
  }
}
