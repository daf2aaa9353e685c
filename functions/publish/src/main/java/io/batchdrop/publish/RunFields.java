package io.batchdrop.publish;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.run.RunDoc;
import java.util.List;
import java.util.Optional;

/**
 * The types publish reads a run document's fields as ({@link FinishedJob}, {@link RunCloser},
 * {@link RunReport}). Publish reads each through {@link FieldTypes}, so a field of the wrong type
 * (an edit by hand, a bug elsewhere) is no value there and the job's rows are still published; the
 * run's close carries this problem, so the run says what it could not read.
 */
final class RunFields {
  private static final List<String> STRINGS =
      List.of(
          RunDoc.STATE,
          RunDoc.MODEL,
          RunDoc.REASON,
          RunDoc.SOURCE + ".uri",
          RunDoc.INVALID_URI,
          RunDoc.REPORT_URI,
          RunDoc.CLOSED_BY,
          RunCloser.PROBLEM);
  private static final List<String> NUMBERS =
      List.of(RunDoc.COUNTS + ".rows", RunDoc.COUNTS + ".invalid");
  private static final List<String> BOOLEANS = List.of(RunDoc.CLOSED, RunDoc.COMPLETED_ANNOUNCED);
  private static final List<String> TIMESTAMPS = List.of(RunDoc.CREATED_AT, RunDoc.COMPLETED_AT);

  private RunFields() {}

  /** The first field of the wrong type, said as {@code field X is a string ("…"); expected …}. */
  static Optional<String> problem(DocumentSnapshot run) {
    return FieldTypes.check(run, STRINGS, String.class, "a string")
        .or(() -> FieldTypes.check(run, NUMBERS, Number.class, "a number"))
        .or(() -> FieldTypes.check(run, BOOLEANS, Boolean.class, "a boolean"))
        .or(() -> FieldTypes.check(run, TIMESTAMPS, Timestamp.class, "a timestamp"));
  }
}
