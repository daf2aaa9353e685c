package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.jobs.JobDoc;
import java.util.List;
import java.util.Optional;

/**
 * The types poll reads a job document's fields as. A document that breaks them (an edit by hand, a
 * bug elsewhere) would fail every poll of it the same way, so poll checks them before it polls and
 * decides such a job once instead ({@link JobPoller}).
 */
final class JobFields {
  private static final List<String> STRINGS =
      List.of(
          JobDoc.RUN_ID,
          JobDoc.STATE,
          JobDoc.BACKEND,
          JobDoc.VERTEX_NAME,
          JobDoc.MODEL,
          JobDoc.INPUT_URI,
          JobDoc.OUTPUT_URI_PREFIX,
          JobDoc.OUTPUT_DIRECTORY,
          JobDoc.OBSERVED,
          JobDoc.CREATOR_OWNER);
  private static final List<String> NUMBERS =
      List.of(JobDoc.STATE_VALUE, JobRecorder.NOT_FOUND_COUNT, JobDoc.HANDOFF_COUNT);
  private static final List<String> TIMESTAMPS =
      List.of(
          JobDoc.NEXT_POLL_AT,
          JobDoc.VERTEX_UPDATE_TIME,
          JobDoc.CREATOR_UNTIL,
          JobDoc.HANDOFF_DUE_AT);
  private static final List<String> BOOLEANS = List.of(JobDoc.ACTIVE, JobDoc.PUBLISH_DONE);

  private JobFields() {}

  /** The first field of the wrong type, said as {@code field X is a string ("…"); expected …}. */
  static Optional<String> problem(DocumentSnapshot doc) {
    return FieldTypes.check(doc, STRINGS, String.class, "a string")
        .or(() -> FieldTypes.check(doc, NUMBERS, Number.class, "a number"))
        .or(() -> FieldTypes.check(doc, TIMESTAMPS, Timestamp.class, "a timestamp"))
        .or(() -> FieldTypes.check(doc, BOOLEANS, Boolean.class, "a boolean"));
  }

  /** {@code field} when it is a string, else null: for reports about a document like this one. */
  static String string(DocumentSnapshot doc, String field) {
    return FieldTypes.string(doc, field);
  }

  /** {@code field} when it is a number, else 0. */
  static int number(DocumentSnapshot doc, String field) {
    return (int) FieldTypes.number(doc, field);
  }
}
