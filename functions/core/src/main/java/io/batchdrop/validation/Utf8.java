package io.batchdrop.validation;

/** Strict UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. */
final class Utf8 {

  private Utf8() {}

  /** Index of the first byte that breaks UTF-8 in {@code b[from, to)}, or -1 when the range is valid. */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (i + 8 <= to) {
        // Eight ASCII bytes at a time: most JSON is ASCII even in non-Latin text files.
        long high = (long) Bytes.LONGS.get(b, i) & Bytes.HIGH_BITS;
        if (high == 0) {
          i += 8;
          continue;
        }
        i += Long.numberOfTrailingZeros(high) >>> 3;
      }
      int c = b[i];
      if (c >= 0) {
        i++;
        continue;
      }
      c &= 0xFF;
      int need;
      int min;
      int max = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        min = 0x80;
      } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        min = c == 0xE0 ? 0xA0 : 0x80;
        max = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a UTF-16 surrogate
      } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        min = c == 0xF0 ? 0x90 : 0x80;
        max = c == 0xF4 ? 0x8F : 0xBF;
      } else {
        return i;
      }
      if (i + need >= to) {
        return i; // the sequence is cut short by the end of the line
      }
      int second = b[i + 1] & 0xFF;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k <= need; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return i;
        }
      }
      i += need + 1;
    }
    return -1;
  }
}
