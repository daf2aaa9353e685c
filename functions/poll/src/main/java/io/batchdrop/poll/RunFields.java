package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.run.RunDoc;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The types the run watchdog reads a stalled run's fields as ({@link RunWatchdog}). A run that
 * breaks them (an edit by hand, a bug elsewhere) would fail every call's attempt to end it the same
 * way, so the watchdog checks them first and decides such a run once: it fails, the field named.
 */
final class RunFields {
  private static final List<String> STRINGS =
      List.of(
          RunDoc.STATE, RunDoc.MODEL, RunDoc.BACKEND, RunDoc.SOURCE + ".uri", RunDoc.LAST_FAILURE);
  private static final List<String> NUMBERS =
      List.of(RunDoc.COUNTS + ".invalid", RunDoc.SUBMIT_FAILURES, RunDoc.INVALID_PUBLISHED_ROWS);
  private static final List<String> BOOLEANS = List.of(RunDoc.STAGED, RunDoc.INVALID_PUBLISHED);

  /** What each entry of {@code shards} must hold: submit writes them all, as numbers. */
  private static final List<String> SHARD_NUMBERS = List.of("shard", "rows", "firstRow", "lastRow");

  private RunFields() {}

  /** The first field of the wrong type, said as {@code field X is a string ("…"); expected …}. */
  static Optional<String> problem(DocumentSnapshot run) {
    return FieldTypes.check(run, STRINGS, String.class, "a string")
        .or(() -> FieldTypes.check(run, NUMBERS, Number.class, "a number"))
        .or(() -> FieldTypes.check(run, BOOLEANS, Boolean.class, "a boolean"))
        .or(() -> FieldTypes.check(run, RunDoc.UPDATED_AT, Timestamp.class, "a timestamp"))
        .or(() -> FieldTypes.check(run, RunDoc.SHARDS, List.class, "an array"))
        .or(() -> shardProblem(run.get(RunDoc.SHARDS)));
  }

  private static Optional<String> shardProblem(Object shards) {
    if (!(shards instanceof List<?> list)) {
      return Optional.empty();
    }
    for (int i = 0; i < list.size(); i++) {
      String field = RunDoc.SHARDS + "[" + i + "]";
      Optional<String> problem = FieldTypes.require(field, list.get(i), Map.class, "a map");
      if (problem.isPresent()) {
        return problem;
      }
      Map<?, ?> shard = (Map<?, ?>) list.get(i);
      for (String member : SHARD_NUMBERS) {
        problem =
            FieldTypes.require(field + "." + member, shard.get(member), Number.class, "a number");
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }
}
