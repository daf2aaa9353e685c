package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.util.regex.Pattern;

/** Parses one line's bytes with Jackson, never building a tree, and applies every rule to it. */
final class LineChecker {

  private static final Pattern SOURCE_REFERENCE =
      Pattern.compile("\\s*(\\(start marker at )?\\[Source: [^\\]]*\\]\\)?");
  private static final int MAX_MESSAGE_CHARS = 200;

  private final JsonFactory factory;
  private final LineFindings findings;
  private final LineCursor cursor;
  private final RequestRules rules;

  LineChecker(
      JsonFactory factory, ValidatorConfig config, KeyPathTable types, LineFindings findings) {
    this.factory = factory;
    this.findings = findings;
    this.cursor = new LineCursor(types, findings);
    this.rules = new RequestRules(cursor, config);
  }

  /** The line's own key, when it had a non-empty string one. */
  String userKey() {
    return rules.userKey();
  }

  /**
   * Checks {@code buf[off, off + len)}; findings go to the line's {@link LineFindings}. Never
   * throws.
   */
  void check(byte[] buf, int off, int len, long line) {
    try (JsonParser parser = factory.createParser(buf, off, len)) {
      cursor.reset(parser, line);
      cursor.first();
      rules.line();
      checkNothingFollows(parser, buf, off, len);
    } catch (JsonProcessingException e) {
      findings.add(
          Rule.JSON_SYNTAX,
          columnOf(e),
          cursor.path(),
          "the line is not valid JSON: " + describe(e) + "; expected one JSON object per line");
    } catch (IOException | RuntimeException e) {
      // Reading a byte array does no I/O; anything here is a parser failure on odd input.
      findings.add(
          Rule.JSON_SYNTAX,
          0,
          cursor.path(),
          "the line could not be read as JSON ("
              + e.getClass().getSimpleName()
              + "); expected one JSON object per line");
    }
  }

  /**
   * Anything but whitespace after the line's JSON value is trailing data; reported where it starts.
   */
  private void checkNothingFollows(JsonParser parser, byte[] buf, int off, int len) {
    long consumed = parser.currentLocation().getByteOffset();
    if (consumed < 0) {
      return;
    }
    for (int i = off + (int) consumed; i < off + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        int cr = lastCr(buf, off + (int) consumed, i);
        if (cr >= 0) {
          findings.add(
              Rule.CR_LINE_ENDINGS,
              cr - off + 1,
              "",
              "the line goes on after a bare CR at byte "
                  + (cr - off + 1)
                  + ": the file separates lines with CR alone (classic Mac OS line endings); "
                  + "expected LF or CR LF line endings");
          return;
        }
        findings.add(
            Rule.TRAILING_DATA,
            i - off + 1,
            "",
            "the line goes on after its JSON value; expected exactly one JSON object per line");
        return;
      }
    }
  }

  /** Index of the last CR in {@code buf[from, to)}, or -1. */
  private static int lastCr(byte[] buf, int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (buf[i] == '\r') {
        return i;
      }
    }
    return -1;
  }

  /** 1-based byte column where the parser gave up, 0 when unknown. */
  private static int columnOf(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    if (where == null) {
      return 0;
    }
    long offset = where.getByteOffset();
    return offset >= 0
        ? (int) Math.min(Integer.MAX_VALUE, offset + 1)
        : Math.max(0, where.getColumnNr());
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    message = SOURCE_REFERENCE.matcher(message).replaceAll("").replaceAll("\\s+", " ").trim();
    return Excerpt.of(message, MAX_MESSAGE_CHARS);
  }
}
