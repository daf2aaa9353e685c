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

  /** {@link #scanLine} stopped at an LF. */
  static final long LF = 1L << 32;

  /** {@link #scanLine} stopped at the first byte that breaks UTF-8 or is NUL. */
  static final long INVALID = 2L << 32;

  /**
   * {@link #scanLine} stopped at the lead byte of a sequence that may be valid but needs bytes not
   * read yet.
   */
  static final long INCOMPLETE = 3L << 32;

  /** The bits of {@link #scanLine}'s result that say why it stopped; 0 at the end of the range. */
  static final long STOP = 3L << 32;

  /** Set in {@link #scanLine}'s result when a byte of 0x80 or more, or a NUL, was seen. */
  static final long NON_ASCII = 1L << 34;

  /**
   * One pass that finds the first LF in {@code b[from, to)} and checks UTF-8 on the way, exactly as
   * {@link #firstInvalid} does: the index where it stopped in the low 32 bits, plus why ({@link
   * #LF}, {@link #INVALID}, {@link #INCOMPLETE}, or none when it reached {@code to}), plus {@link
   * #NON_ASCII}. A sequence cut off at {@code to} is {@link #INCOMPLETE} unless {@code atEnd} says
   * no more bytes follow; its bytes hold no LF. An LF never continues a sequence, so a line's first
   * invalid byte does not depend on what follows its LF. Fusing the two checks saves a second pass
   * over every line with non-ASCII text.
   */
  static long scanLine(byte[] b, int from, int to, boolean atEnd) {
    long seen = 0;
    int i = from;
    while (true) {
      if (i >= to) {
        return to | seen;
      }
      int c = b[i];
      if (c > 0) {
        if (c == '\n') {
          return i | LF | seen;
        }
        i++;
        // Eight bytes at a time while they are ASCII and neither LF nor NUL; the lowest flagged
        // byte of either mask is exact (see Bytes.scanToLf), so the lowest of both is too. A run
        // of non-ASCII text stays in the byte loop below instead of coming back here per letter.
        while (i + 8 <= to) {
          long v = (long) Bytes.LONGS.get(b, i);
          long x = v ^ 0x0A0A0A0A0A0A0A0AL;
          long stop = (((x - Bytes.LOW_BITS) & ~x) | (v - Bytes.LOW_BITS) | v) & Bytes.HIGH_BITS;
          if (stop != 0) {
            i += Long.numberOfTrailingZeros(stop) >>> 3;
            break;
          }
          i += 8;
        }
        continue;
      }
      seen = NON_ASCII;
      int need =
          c == 0 ? 0 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
      if (need == 0) {
        return i | INVALID | seen;
      }
      if (i + need > to) {
        for (int k = i + 1; k < to; k++) {
          if (!continuation(b[k])) {
            return i | INVALID | seen;
          }
        }
        return i | (atEnd ? INVALID : INCOMPLETE) | seen;
      }
      if (need == 3) {
        // CJK and most other scripts: the common case.
        if (!continuation(b[i + 1]) || !continuation(b[i + 2])) {
          return i | INVALID | seen;
        }
        int top = ((c & 0x0F) << 6) | (b[i + 1] & 0x3F);
        if (top < 0x20 || (top >= 0x360 && top < 0x380)) {
          return i | INVALID | seen;
        }
      } else if (need == 2) {
        if ((c & 0xFF) < 0xC2 || !continuation(b[i + 1])) {
          return i | INVALID | seen;
        }
      } else {
        if (!continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
          return i | INVALID | seen;
        }
        int top = ((c & 0x07) << 6) | (b[i + 1] & 0x3F);
        if (top < 0x10 || top > 0x10F) {
          return i | INVALID | seen;
        }
      }
      i += need;
    }
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
