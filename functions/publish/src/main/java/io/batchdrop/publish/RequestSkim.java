package io.batchdrop.publish;

import io.batchdrop.validation.RowKeys;
import java.nio.charset.StandardCharsets;

/**
 * Finds the first top-level {@code request} object of an output line by its bytes, with the row its
 * {@code labels.batchdrop_row} names, so the JSON parser never has to tokenize the echoed request
 * (the larger half of a line, and the largest single piece of publish's CPU: bench/ publish.md).
 * {@link LineSource} then hands the parser {@code {}} in its place.
 *
 * <p>It only ever answers for a line the parser would read the same way: every byte of the request
 * is checked against JSON's grammar (strings with their escapes and well-formed UTF-8, numbers,
 * literals, nesting), and the row labels must be what {@code PredictionReader} accepts. It is
 * stricter than the parser, never looser: an escape in a member name on the way, a label that is
 * not a canonical {@code row-N}, two different labels, a number longer than {@link
 * #MAX_NUMBER_CHARS}, a name longer than {@link #MAX_NAME_BYTES}, nesting deeper than {@link
 * #MAX_DEPTH}, or a line that does not fit the given bytes gives no answer, and the parser reads
 * the line as before, with its own verdict and message.
 */
final class RequestSkim {

  static final int MAX_DEPTH = 64;
  static final int MAX_NAME_BYTES = 1000;
  static final int MAX_NUMBER_CHARS = 100;

  private static final byte[] REQUEST = "request".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LABELS = "labels".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROW_LABEL = RowKeys.ROW_LABEL.getBytes(StandardCharsets.US_ASCII);

  /**
   * The request object at {@code [from, to)} of the buffer, and the row its label names (0 when it
   * has no {@code batchdrop_row} label).
   */
  record Found(int from, int to, long row) {}

  /** Not this way: the parser reads the line. A singleton without a stack trace. */
  private static final class Bail extends RuntimeException {
    Bail() {
      super(null, null, false, false);
    }
  }

  private static final Bail BAIL = new Bail();

  private final byte[] b;
  private final int end;
  private int i;
  private long row;

  private RequestSkim(byte[] b, int from, int end) {
    this.b = b;
    this.i = from;
    this.end = end;
  }

  /**
   * The first top-level {@code request} member's object in {@code b[from, end)}, where {@code
   * b[from]} is the line's opening '{' and {@code end} at most its LF; null when there is none or
   * the parser must decide.
   */
  static Found find(byte[] b, int from, int end) {
    try {
      return new RequestSkim(b, from, end).topLevel();
    } catch (Bail bail) {
      return null;
    }
  }

  private Found topLevel() {
    expect('{');
    if (skipSpacesTo() == '}') {
      return null;
    }
    while (true) {
      int nameFrom = i;
      int nameTo = name();
      skipSpacesTo();
      expect(':');
      int value = skipSpacesTo();
      if (equal(nameFrom, nameTo, REQUEST)) {
        if (value != '{') {
          return null; // a request that is not an object: the parser's to judge
        }
        int requestFrom = i;
        request();
        return new Found(requestFrom, i, row);
      }
      value(1);
      if (!nextMember()) {
        return null;
      }
    }
  }

  /** The request object, noting its {@code labels.batchdrop_row}. */
  private void request() {
    expect('{');
    if (skipSpacesTo() == '}') {
      i++;
      return;
    }
    while (true) {
      int nameFrom = i;
      int nameTo = name();
      skipSpacesTo();
      expect(':');
      int value = skipSpacesTo();
      if (value == '{' && equal(nameFrom, nameTo, LABELS)) {
        labels();
      } else {
        value(2);
      }
      if (!nextMember()) {
        i++;
        return;
      }
    }
  }

  private void labels() {
    expect('{');
    if (skipSpacesTo() == '}') {
      i++;
      return;
    }
    while (true) {
      int nameFrom = i;
      int nameTo = name();
      skipSpacesTo();
      expect(':');
      int value = skipSpacesTo();
      if (equal(nameFrom, nameTo, ROW_LABEL)) {
        if (value != '"') {
          throw BAIL;
        }
        int textFrom = i + 1;
        string();
        long labelled = rowOf(textFrom, i - 1);
        if (labelled < 1 || (row != 0 && labelled != row)) {
          throw BAIL; // the parser words the problem
        }
        row = labelled;
      } else {
        value(3);
      }
      if (!nextMember()) {
        i++;
        return;
      }
    }
  }

  /** After a member's value: true at a ',' (consumed, with the spaces after it), false at '}'. */
  private boolean nextMember() {
    int c = skipSpacesTo();
    if (c == ',') {
      i++;
      skipSpacesTo();
      return true;
    }
    if (c == '}') {
      return false;
    }
    throw BAIL;
  }

  /**
   * A member name on the way to the label, without escapes (an escaped one could spell {@code
   * request} or {@code labels}: the parser decides), at most {@link #MAX_NAME_BYTES}; returns the
   * index of its closing quote.
   */
  private int name() {
    int from = i;
    if (!string()) {
      throw BAIL;
    }
    if (i - from - 2 > MAX_NAME_BYTES) {
      throw BAIL;
    }
    return i - 1;
  }

  private boolean equal(int nameFrom, int nameTo, byte[] expected) {
    int length = nameTo - nameFrom - 1;
    if (length != expected.length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (b[nameFrom + 1 + k] != expected[k]) {
        return false;
      }
    }
    return true;
  }

  private long rowOf(int from, int to) {
    for (int k = from; k < to; k++) {
      if (b[k] == '\\') {
        throw BAIL;
      }
    }
    return RowLabels.parse(new String(b, from, to - from, StandardCharsets.UTF_8));
  }

  private void value(int depth) {
    if (depth > MAX_DEPTH) {
      throw BAIL;
    }
    switch (at(i)) {
      case '{' -> object(depth);
      case '[' -> array(depth);
      case '"' -> string();
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  private void object(int depth) {
    i++;
    if (skipSpacesTo() == '}') {
      i++;
      return;
    }
    while (true) {
      int from = i;
      string(); // a name nothing looks at: escapes are fine
      if (i - from - 2 > MAX_NAME_BYTES) {
        throw BAIL;
      }
      skipSpacesTo();
      expect(':');
      skipSpacesTo();
      value(depth + 1);
      if (!nextMember()) {
        i++;
        return;
      }
    }
  }

  private void array(int depth) {
    i++;
    if (skipSpacesTo() == ']') {
      i++;
      return;
    }
    while (true) {
      value(depth + 1);
      int c = skipSpacesTo();
      i++;
      if (c == ']') {
        return;
      }
      if (c != ',') {
        throw BAIL;
      }
      skipSpacesTo();
    }
  }

  /**
   * A string from its opening quote through its closing one; true when it held no escape. Control
   * characters, a bad escape and malformed UTF-8 (overlong forms, surrogates, past U+10FFFF) bail.
   */
  private boolean string() {
    expect('"');
    boolean plain = true;
    while (true) {
      int c = at(i++);
      if (c == '"') {
        return plain;
      }
      if (c == '\\') {
        plain = false;
        escape();
      } else if (c < 0x20) {
        throw BAIL;
      } else if (c >= 0x80) {
        utf8(c);
      }
    }
  }

  private void escape() {
    int c = at(i++);
    switch (c) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {}
      case 'u' -> {
        for (int k = 0; k < 4; k++) {
          int h = at(i++);
          boolean hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
          if (!hex) {
            throw BAIL;
          }
        }
      }
      default -> throw BAIL;
    }
  }

  /** The continuation bytes of a sequence whose lead byte {@code c} was read (RFC 3629 table). */
  private void utf8(int c) {
    if (c >= 0xC2 && c <= 0xDF) {
      continuation(0x80, 0xBF);
    } else if (c == 0xE0) {
      continuation(0xA0, 0xBF);
      continuation(0x80, 0xBF);
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      continuation(0x80, 0xBF);
      continuation(0x80, 0xBF);
    } else if (c == 0xED) {
      continuation(0x80, 0x9F);
      continuation(0x80, 0xBF);
    } else if (c == 0xF0) {
      continuation(0x90, 0xBF);
      continuation(0x80, 0xBF);
      continuation(0x80, 0xBF);
    } else if (c >= 0xF1 && c <= 0xF3) {
      continuation(0x80, 0xBF);
      continuation(0x80, 0xBF);
      continuation(0x80, 0xBF);
    } else if (c == 0xF4) {
      continuation(0x80, 0x8F);
      continuation(0x80, 0xBF);
      continuation(0x80, 0xBF);
    } else {
      throw BAIL;
    }
  }

  private void continuation(int low, int high) {
    int c = at(i++);
    if (c < low || c > high) {
      throw BAIL;
    }
  }

  private void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (at(i++) != word.charAt(k)) {
        throw BAIL;
      }
    }
    delimiter();
  }

  /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? as JSON has it; no more than its limit. */
  private void number() {
    int from = i;
    if (at(i) == '-') {
      i++;
    }
    int first = at(i);
    if (first == '0') {
      i++;
    } else if (first >= '1' && first <= '9') {
      digits();
    } else {
      throw BAIL;
    }
    if (i < end && b[i] == '.') {
      i++;
      digits();
    }
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      if (at(i) == '+' || at(i) == '-') {
        i++;
      }
      digits();
    }
    if (i - from > MAX_NUMBER_CHARS) {
      throw BAIL;
    }
    delimiter();
  }

  /** One or more digits. */
  private void digits() {
    int c = at(i);
    if (c < '0' || c > '9') {
      throw BAIL;
    }
    while (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
  }

  /** What may follow a number or a literal: a space, ',', '}' or ']' (checked by the caller). */
  private void delimiter() {
    int c = at(i);
    if (c != ' ' && c != '\t' && c != '\r' && c != ',' && c != '}' && c != ']') {
      throw BAIL;
    }
  }

  /** Skips spaces, tabs and CRs (an LF ends the line) and returns the next byte, not consumed. */
  private int skipSpacesTo() {
    while (true) {
      int c = at(i);
      if (c != ' ' && c != '\t' && c != '\r') {
        return c;
      }
      i++;
    }
  }

  private void expect(int c) {
    if (at(i) != c) {
      throw BAIL;
    }
    i++;
  }

  /** The byte at {@code k}, unsigned; past the given bytes the answer is the parser's. */
  private int at(int k) {
    if (k >= end) {
      throw BAIL;
    }
    return b[k] & 0xff;
  }
}
