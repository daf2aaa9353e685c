package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * What is wrong with a line Jackson could not parse, worded without the line's contents. Jackson's
 * own message quotes what it met ({@code Unrecognized token 'the user's words'}, up to 256
 * characters of it), and a line of output echoes the user's request: that text must never reach a
 * log line. Kept are where the parser stopped and what it expected there, which are Jackson's fixed
 * words.
 */
final class JsonProblem {
  private static final int MAX_EXPECTED_CHARS = 160;

  private JsonProblem() {}

  /**
   * {@code e} said as {@code an unquoted word; the parser stopped at byte 66 of the line; was
   * expecting (JSON String, ...)}, {@code base} being where the parser's input started in the line.
   */
  static String describe(JsonProcessingException e, long base) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    StringBuilder out = new StringBuilder(kind(e, original));
    JsonLocation at = e.getLocation();
    if (at != null && at.getByteOffset() >= 0) {
      out.append("; the parser stopped at byte ")
          .append(base + at.getByteOffset())
          .append(" of the line");
    }
    String expected = expected(original);
    if (expected != null) {
      out.append("; ").append(expected);
    }
    return out.toString();
  }

  private static String kind(JsonProcessingException e, String original) {
    if (e instanceof StreamConstraintsException) {
      return "a value over the reader's limits (a string of more than "
          + PublishJson.MAX_READ_STRING
          + " characters, or nesting too deep)";
    }
    if (original.startsWith("Unrecognized token")) {
      return "an unquoted word";
    }
    if (original.startsWith("Unexpected character")) {
      return "an unexpected character";
    }
    if (original.startsWith("Unexpected end-of-input")) {
      return "the line ends inside a value (cut short)";
    }
    if (original.startsWith("Illegal unquoted character")) {
      return "a control character inside a string";
    }
    if (original.startsWith("Invalid UTF-8")) {
      return "bytes that are not UTF-8";
    }
    if (original.startsWith("Unexpected close marker")) {
      return "a closing bracket that closes nothing open";
    }
    return "a syntax error";
  }

  /**
   * Jackson's {@code was expecting …} or {@code expected …} clause, which names JSON tokens, never
   * the input; null when the message has none.
   */
  private static String expected(String original) {
    int at = original.indexOf("was expecting ");
    if (at < 0) {
      at = original.indexOf(": expected ");
      at = at < 0 ? -1 : at + 2;
    }
    if (at < 0) {
      return null;
    }
    String clause = original.substring(at);
    int marker = clause.indexOf(" (start marker");
    if (marker >= 0) {
      clause = clause.substring(0, marker);
    }
    return clause.length() <= MAX_EXPECTED_CHARS
        ? clause
        : clause.substring(0, MAX_EXPECTED_CHARS - 1) + "…";
  }
}
