package io.batchdrop.validation;

/**
 * Strict UTF-8 well-formedness (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF; and no NUL, which is valid UTF-8 but never part of a text file (it is what UTF-16 and
 * UTF-32 text look like to a UTF-8 reader).
 */
final class Utf8 {

  private Utf8() {}

  /**
   * Index of the first byte that breaks UTF-8 or is NUL in {@code b[from, to)}, or -1 when the
   * range is valid.
   */
  static int firstInvalid(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      // Eight ASCII bytes at a time: most JSON is ASCII even in files of non-Latin text. The lowest
      // flagged byte is exactly the first one that is NUL or >= 0x80 (see Bytes.scanToLf).
      while (i + 8 <= to) {
        long v = (long) Bytes.LONGS.get(b, i);
        long high = ((v - Bytes.LOW_BITS) | v) & Bytes.HIGH_BITS;
        if (high != 0) {
          i += Long.numberOfTrailingZeros(high) >>> 3;
          break;
        }
        i += 8;
      }
      if (i >= to) {
        return -1;
      }
      int c = b[i];
      if (c > 0) {
        i++;
      } else if (c == 0) {
        return i;
      } else if ((c & 0xF0) == 0xE0) {
        // Three bytes: CJK and most other scripts; the common case, so checked inline.
        if (i + 2 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
          return i;
        }
        int top = ((c & 0x0F) << 6) | (b[i + 1] & 0x3F);
        if (top < 0x20 || (top >= 0x360 && top < 0x380)) {
          return i; // overlong (E0 80..9F) or a UTF-16 surrogate (ED A0..BF)
        }
        i += 3;
      } else if ((c & 0xE0) == 0xC0) {
        if ((c & 0xFF) < 0xC2 || i + 1 >= to || !continuation(b[i + 1])) {
          return i; // C0 and C1 would be overlong
        }
        i += 2;
      } else if ((c & 0xF8) == 0xF0) {
        if (i + 3 >= to
            || !continuation(b[i + 1])
            || !continuation(b[i + 2])
            || !continuation(b[i + 3])) {
          return i;
        }
        int top = ((c & 0x07) << 6) | (b[i + 1] & 0x3F);
        if (top < 0x10 || top > 0x10F) {
          return i; // overlong (F0 80..8F) or above U+10FFFF
        }
        i += 4;
      } else {
        return i; // a continuation byte without a lead, or F8..FF
      }
    }
    return -1;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
