package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Parses lines with Jackson, never building a tree, and applies every rule to them. Lines go
 * through one {@link RunningParser} while they are clean; a line that is not (a syntax error, a
 * value that does not end within its line, anything the parser throws) is undone and checked again
 * with a parser of its own, so that its findings are exactly those of a line read alone.
 */
final class LineChecker implements AutoCloseable {

  private static final Pattern SOURCE_REFERENCE =
      Pattern.compile("\\s*(\\(start marker at )?\\[Source: [^\\]]*\\]\\)?");
  private static final int MAX_MESSAGE_CHARS = 200;

  private final JsonFactory factory;
  private final KeyPathTable types;
  private final LineFindings findings;
  private final LineCursor cursor;
  private final RequestRules rules;
  private final LineReader reader;
  private final RunningParser running;

  /**
   * @param reader where the lines come from, to read several with one parser; null to give every
   *     line a parser of its own
   */
  LineChecker(
      JsonFactory factory,
      ValidatorConfig config,
      KeyPathTable types,
      LineFindings findings,
      LineReader reader) {
    this.factory = factory;
    this.types = types;
    this.findings = findings;
    this.cursor = new LineCursor(types, findings);
    this.rules = new RequestRules(cursor, config);
    this.reader = reader;
    this.running = reader == null ? null : new RunningParser(factory);
  }

  /** Where staging may splice the line just checked; null when it must parse it again. */
  LineLayout layout() {
    return rules.layout();
  }

  /** What the estimate needs of the line just checked; null when it must parse it itself. */
  RequestCounts counts() {
    return rules.counts();
  }

  /** The line's own key, when it had a non-empty string one. */
  String userKey() {
    return rules.userKey();
  }

  /**
   * Checks {@code buf[off, off + len)}, the line the reader holds (minus a byte order mark);
   * findings go to the line's {@link LineFindings}. Never throws.
   */
  void check(byte[] buf, int off, int len, long line) {
    rules.lineStarting();
    rules.lineBytes(buf, off, len);
    if (running == null || !checkWithRunningParser(buf, off, len, line)) {
      checkAlone(buf, off, len, line);
    }
  }

  @Override
  public void close() {
    if (running != null) {
      running.close();
    }
  }

  /**
   * Checks the line with the parser that read the lines before it. False when the line must be
   * checked alone: then every finding, type and flag it produced has been undone.
   */
  private boolean checkWithRunningParser(byte[] buf, int off, int len, long line) {
    findings.mark();
    boolean trackingStopReported = cursor.trackingStopReported();
    try {
      JsonParser parser =
          running.at(buf, off, off + len, reader.generation(), reader.bufferedEnd());
      long lineOffset = running.offsetOf(off);
      long lineLimit = lineOffset + len;
      cursor.reset(parser, line, lineOffset, lineLimit);
      if (cursor.first() != JsonToken.START_OBJECT) {
        // Not worth a second way of finding where a root scalar or array ends: such lines are
        // invalid and rare.
        throw LineOverrun.INSTANCE;
      }
      rules.line();
      // Past the line's closing brace, which the cursor saw start within the line.
      long end = cursor.tokenEnd();
      if (checkNothingFollows(buf, off, len, (int) (end - lineOffset))) {
        running.continueAt(reader.lineEnd());
      } else {
        // The parser would read the trailing data as the next line's value.
        running.close();
      }
      return true;
    } catch (IOException | RuntimeException e) {
      running.close();
      findings.rollBackToMark();
      cursor.restoreTrackingStop(trackingStopReported);
      types.rollbackLine();
      return false;
    }
  }

  /** Checks the line with a parser that sees nothing but the line. */
  private void checkAlone(byte[] buf, int off, int len, long line) {
    try (JsonParser parser = factory.createParser(buf, off, len)) {
      cursor.reset(parser, line);
      cursor.first();
      rules.line();
      long consumed = parser.currentLocation().getByteOffset();
      if (consumed >= 0) {
        checkNothingFollows(buf, off, len, (int) consumed);
      }
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
   * Anything but whitespace after the line's JSON value ({@code consumed} bytes of the line) is
   * trailing data; reported where it starts. True when nothing follows.
   */
  private boolean checkNothingFollows(byte[] buf, int off, int len, int consumed) {
    for (int i = off + consumed; i < off + len; i++) {
      byte b = buf[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        int cr = lastCr(buf, off + consumed, i);
        if (cr >= 0) {
          findings.add(
              Rule.CR_LINE_ENDINGS,
              cr - off + 1,
              "",
              "the line goes on after a bare CR at byte "
                  + (cr - off + 1)
                  + ": the file separates lines with CR alone (classic Mac OS line endings); "
                  + "expected LF or CR LF line endings");
          return false;
        }
        findings.add(
            Rule.TRAILING_DATA,
            i - off + 1,
            "",
            "the line goes on after its JSON value; expected exactly one JSON object per line");
        return false;
      }
    }
    return true;
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
