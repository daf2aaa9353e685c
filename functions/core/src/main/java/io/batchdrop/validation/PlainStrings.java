package io.batchdrop.validation;

/**
 * Finds where a JSON string value ends in a line's bytes when it holds no backslash escape, eight
 * bytes at a time, so that staging and the estimate can use the text's bytes as they stand instead
 * of decoding them into chars (see {@code StagedLineEncoder} and {@code RequestTokens}). Only for
 * lines the validator accepted: valid UTF-8, so a byte is either ASCII, a lead or a continuation.
 */
public final class PlainStrings {

  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
  private static final long HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0L;

  private PlainStrings() {}

  /**
   * The index of the closing quote of the string whose text starts at {@code b[from]}, or -1 when a
   * backslash comes first (or, with {@code stopAtFourByte}, the lead byte of a character beyond the
   * BMP), or when there is no quote before {@code to}.
   */
  public static int end(byte[] b, int from, int to, boolean stopAtFourByte) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long v = (long) Bytes.LONGS.get(b, i);
      long q = v ^ QUOTES;
      long s = v ^ BACKSLASHES;
      long hit = ((q - Bytes.LOW_BITS) & ~q) | ((s - Bytes.LOW_BITS) & ~s);
      if (stopAtFourByte) {
        long f = (v & HIGH_NIBBLES) ^ HIGH_NIBBLES;
        hit |= (f - Bytes.LOW_BITS) & ~f;
      }
      hit &= Bytes.HIGH_BITS;
      if (hit != 0) {
        // The lowest flagged byte is exact (borrows only flag bytes above a true hit).
        i += Long.numberOfTrailingZeros(hit) >>> 3;
        return b[i] == '"' ? i : -1;
      }
    }
    for (; i < to; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c == '\\' || (stopAtFourByte && (c & 0xF8) == 0xF0)) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * The index of the closing quote of the JSON string whose text starts at {@code b[from]}, escapes
   * skipped ({@code \\"} does not end it), or -1 when there is none before {@code to} or an escape
   * is cut short. Only for strings the validator accepted: the escapes are not checked.
   */
  public static int literalEnd(byte[] b, int from, int to) {
    int i = end(b, from, to, false);
    if (i >= 0) {
      return i;
    }
    i = from;
    while (i < to) {
      byte x = b[i];
      if (x == '"') {
        return i;
      }
      i += x == '\\' ? 2 : 1;
    }
    return -1;
  }

  /**
   * Code points of the JSON string whose text starts at {@code b[from]}, as the decoded text would
   * have them ({@link Character#codePointCount}): a byte that is not a UTF-8 continuation byte is
   * one, an escape is one UTF-16 unit, and an escaped surrogate pair is one. -1 when the string
   * does not end before {@code to} or an escape is cut short.
   */
  public static long stringCodePoints(byte[] b, int from, int to) {
    long plain = plainCodePoints(b, from, to);
    return plain >= 0 ? plain : escapedCodePoints(b, from, to);
  }

  /**
   * {@link #end} and a count of the bytes that are not UTF-8 continuation bytes, in one pass: the
   * code points of a string with no backslash before its closing quote, or -1 (a backslash first,
   * or no quote before {@code to}). The estimate counts every prompt's text, so the second pass was
   * most of its time.
   */
  public static long plainCodePoints(byte[] b, int from, int to) {
    long continuations = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long v = (long) Bytes.LONGS.get(b, i);
      long q = v ^ QUOTES;
      long s = v ^ BACKSLASHES;
      long hit = (((q - Bytes.LOW_BITS) & ~q) | ((s - Bytes.LOW_BITS) & ~s)) & Bytes.HIGH_BITS;
      long continuationBytes = v & ~(v << 1) & Bytes.HIGH_BITS;
      if (hit != 0) {
        // The lowest flagged byte is exact (borrows only flag bytes above a true hit).
        int before = Long.numberOfTrailingZeros(hit) >>> 3;
        if (b[i + before] != '"') {
          return -1;
        }
        long below = before == 0 ? 0 : -1L >>> (64 - 8 * before);
        continuations += Long.bitCount(continuationBytes & below);
        return (i + before - from) - continuations;
      }
      continuations += Long.bitCount(continuationBytes);
    }
    for (; i < to; i++) {
      byte c = b[i];
      if (c == '"') {
        return (i - from) - continuations;
      }
      if (c == '\\') {
        return -1;
      }
      if ((c & 0xC0) == 0x80) {
        continuations++;
      }
    }
    return -1;
  }

  private static long escapedCodePoints(byte[] b, int from, int to) {
    long n = 0;
    boolean afterHighSurrogate = false;
    int i = from;
    while (i < to) {
      byte x = b[i];
      if (x == '"') {
        return n;
      }
      if (x != '\\') {
        if ((x & 0xC0) != 0x80) {
          n++;
          afterHighSurrogate = false;
        }
        i++;
        continue;
      }
      if (i + 1 >= to) {
        return -1;
      }
      if (b[i + 1] != 'u') {
        n++;
        afterHighSurrogate = false;
        i += 2;
        continue;
      }
      if (i + 6 > to) {
        return -1;
      }
      int unit = hex(b, i + 2);
      if (unit < 0) {
        return -1;
      }
      if (afterHighSurrogate && Character.isLowSurrogate((char) unit)) {
        afterHighSurrogate = false; // the pair is one code point, counted at its high half
      } else {
        n++;
        afterHighSurrogate = Character.isHighSurrogate((char) unit);
      }
      i += 6;
    }
    return -1;
  }

  private static int hex(byte[] b, int at) {
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(b[at + k], 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }
}
