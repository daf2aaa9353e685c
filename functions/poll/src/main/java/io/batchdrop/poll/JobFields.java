package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.jobs.JobDoc;
import java.util.List;
import java.util.Map;
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
    for (String field : STRINGS) {
      Optional<String> problem = check(doc, field, String.class, "a string");
      if (problem.isPresent()) {
        return problem;
      }
    }
    for (String field : NUMBERS) {
      Optional<String> problem = check(doc, field, Number.class, "a number");
      if (problem.isPresent()) {
        return problem;
      }
    }
    for (String field : TIMESTAMPS) {
      Optional<String> problem = check(doc, field, Timestamp.class, "a timestamp");
      if (problem.isPresent()) {
        return problem;
      }
    }
    for (String field : BOOLEANS) {
      Optional<String> problem = check(doc, field, Boolean.class, "a boolean");
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> check(
      DocumentSnapshot doc, String field, Class<?> type, String expected) {
    Object value = doc.get(field);
    if (value == null || type.isInstance(value)) {
      return Optional.empty();
    }
    return Optional.of(
        "field " + field + " is " + describe(value) + "; expected " + expected + " or no value");
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "a string (\"" + (s.length() <= 40 ? s : s.substring(0, 40) + "…") + "\")";
    }
    if (value instanceof Number n) {
      return "a number (" + n + ")";
    }
    if (value instanceof Boolean b) {
      return "a boolean (" + b + ")";
    }
    if (value instanceof Timestamp) {
      return "a timestamp";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof List<?>) {
      return "an array";
    }
    return "a " + value.getClass().getSimpleName();
  }

  /** {@code field} when it is a string, else null: for reports about a document like this one. */
  static String string(DocumentSnapshot doc, String field) {
    return doc.get(field) instanceof String s ? s : null;
  }

  /** {@code field} when it is a number, else 0. */
  static int number(DocumentSnapshot doc, String field) {
    return doc.get(field) instanceof Number n ? n.intValue() : 0;
  }
}
