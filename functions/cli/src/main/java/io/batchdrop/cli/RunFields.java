package io.batchdrop.cli;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.run.RunDoc;
import java.util.List;
import java.util.Optional;

/**
 * The types the operator commands read a run document's fields as: what {@link RunView} shows and
 * what {@code replay} and {@code results} rebuild messages from. A field of another type (an edit
 * by hand, a bug elsewhere) would otherwise be a ClassCastException, or a count silently read as 0;
 * the command says which field instead ({@link RunView#of}).
 */
final class RunFields {
  private static final List<String> STRINGS =
      List.of(
          RunDoc.STATE,
          RunDoc.MODEL,
          RunDoc.REASON,
          RunDoc.SOURCE + ".uri",
          RunDoc.SOURCE + ".bucket",
          RunDoc.SOURCE + ".name",
          RunDoc.REPORT_URI);
  private static final List<String> NUMBERS =
      List.of("rows", "valid", "invalid", "succeeded", "failed", "missing", "published").stream()
          .map(count -> RunDoc.COUNTS + "." + count)
          .toList();
  private static final List<String> TIMESTAMPS =
      List.of(
          RunDoc.CREATED_AT, RunDoc.UPDATED_AT, RunDoc.COMPLETED_AT, RunDoc.CANCEL_REQUESTED_AT);

  private RunFields() {}

  /** The first field of the wrong type, said as {@code field X is a string ("…"); expected …}. */
  static Optional<String> problem(DocumentSnapshot run) {
    return FieldTypes.check(run, STRINGS, String.class, "a string")
        .or(() -> FieldTypes.check(run, NUMBERS, Number.class, "a number"))
        .or(() -> FieldTypes.check(run, RunDoc.CLOSED, Boolean.class, "a boolean"))
        .or(() -> FieldTypes.check(run, TIMESTAMPS, Timestamp.class, "a timestamp"));
  }
}
