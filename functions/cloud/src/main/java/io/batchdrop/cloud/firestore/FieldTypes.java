package io.batchdrop.cloud.firestore;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A document field read as the type its writer gave it. {@link DocumentSnapshot#getString} and its
 * kin cast, so a field of another type (an edit by hand, a bug elsewhere) throws {@link
 * ClassCastException} on every read of it, which no retry fixes: a function checks the fields it
 * reads first and decides such a document once, and a reader of many documents (a report) takes a
 * field of the wrong type as no value.
 */
public final class FieldTypes {
  private FieldTypes() {}

  /**
   * The problem when {@code field} holds something other than {@code type}, said as {@code field X
   * is a string ("…"); expected a number or no value}; empty when it is of the type or absent.
   */
  public static Optional<String> check(
      DocumentSnapshot doc, String field, Class<?> type, String expected) {
    Object value = doc.get(field);
    if (value == null || type.isInstance(value)) {
      return Optional.empty();
    }
    return Optional.of(
        "field " + field + " is " + describe(value) + "; expected " + expected + " or no value");
  }

  /** The first problem {@link #check} finds among {@code fields}. */
  public static Optional<String> check(
      DocumentSnapshot doc, List<String> fields, Class<?> type, String expected) {
    for (String field : fields) {
      Optional<String> problem = check(doc, field, type, expected);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  /**
   * The problem when {@code value}, the content of {@code field} (a list entry, a map member), is
   * not {@code type}, absent included: said as {@code field X is a string ("…"); expected a map}.
   */
  public static Optional<String> require(
      String field, Object value, Class<?> type, String expected) {
    if (type.isInstance(value)) {
      return Optional.empty();
    }
    return Optional.of(
        "field "
            + field
            + " is "
            + (value == null ? "absent" : describe(value))
            + "; expected "
            + expected);
  }

  /** {@code field} when it is a string, else null. */
  public static String string(DocumentSnapshot doc, String field) {
    return doc.get(field) instanceof String s ? s : null;
  }

  /** {@code field} when it is a number, else 0. */
  public static long number(DocumentSnapshot doc, String field) {
    return doc.get(field) instanceof Number n ? n.longValue() : 0;
  }

  /** {@code field} when it is a timestamp, else null. */
  public static Timestamp timestamp(DocumentSnapshot doc, String field) {
    return doc.get(field) instanceof Timestamp t ? t : null;
  }

  /** A value's type, and a short string's start: enough to find it, never a whole long value. */
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
}
