package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonToken;
import java.util.Arrays;

/**
 * Counts a line's {@link RequestCounts} while the rules walk it. Of text it records where each
 * value starts; the estimate counts it later (the rules never read text values). Counting never
 * throws: a number that cannot be read as a long leaves the line without counts, and the estimate
 * then parses it itself.
 */
final class CountRecorder {

  private final LineCursor c;
  private final boolean counting;

  private byte[] buf;
  private int off;
  private int end;

  private boolean unknown;
  private int[] textQuotes = new int[16];
  private int texts;
  private long media;
  private long maxOutputTokens;
  private long candidates;

  /**
   * @param generation whether lines are generation requests: the estimate counts nothing of an
   *     embedding request
   */
  CountRecorder(LineCursor cursor, boolean generation) {
    this.c = cursor;
    this.counting = generation;
  }

  /** The bytes of the line about to be checked. */
  void line(byte[] buf, int off, int len) {
    this.buf = buf;
    this.off = off;
    this.end = off + len;
  }

  /** At the line's first token. */
  void reset() {
    unknown = buf == null;
    texts = 0;
    media = 0;
    maxOutputTokens = 0;
    candidates = 1;
  }

  /** At a part's {@code text} string value. */
  void text() {
    if (!counting || unknown) {
      return;
    }
    int quote = c.offset();
    if (quote < 0 || off + quote >= end || buf[off + quote] != '"') {
      unknown = true;
      return;
    }
    // Where it starts only: the estimate counts it, on the staging thread.
    if (texts == textQuotes.length) {
      textQuotes = Arrays.copyOf(textQuotes, texts * 2);
    }
    textQuotes[texts++] = quote;
  }

  /** At a part's fileData or inlineData member, whatever its value. */
  void media() {
    if (counting) {
      media++;
    }
  }

  /** At maxOutputTokens' value, after the rules checked it. */
  void maxOutputTokens() {
    long v = number();
    if (v != Long.MIN_VALUE) {
      maxOutputTokens = v;
    }
  }

  /** At candidateCount's value, after the rules checked it. */
  void candidates() {
    long v = number();
    if (v != Long.MIN_VALUE) {
      candidates = v;
    }
  }

  /** The line's counts, or null when the estimate must parse the line itself. */
  RequestCounts counts() {
    return unknown
        ? null
        : new RequestCounts(
            Arrays.copyOf(textQuotes, texts), media, maxOutputTokens, Math.max(1, candidates));
  }

  /** The current number as a long (the estimate's reading), or Long.MIN_VALUE for none. */
  private long number() {
    JsonToken t = c.token();
    if (!counting || (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT)) {
      return Long.MIN_VALUE;
    }
    try {
      return c.parser().getValueAsLong();
    } catch (Exception e) {
      // Out of a long's range: such a line is invalid anyway; the estimate would fail the same way.
      unknown = true;
      return Long.MIN_VALUE;
    }
  }
}
