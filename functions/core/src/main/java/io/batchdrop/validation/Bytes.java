package io.batchdrop.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads eight bytes of an array as one long, for scanning text a word at a time. */
final class Bytes {

  static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long HIGH_BITS = 0x8080808080808080L;

  static final long LOW_BITS = 0x0101010101010101L;

  /**
   * Bit 32 of {@link #scanToLf}'s result: a byte of 0x80 or more, or a NUL, was seen, so the line
   * needs the full check of {@link Utf8#firstInvalid}.
   */
  static final long NOT_PLAIN = 1L << 32;

  private Bytes() {}

  /**
   * Finds the first LF in {@code b[from, to)}, eight bytes at a time. Returns its index (or {@code
   * to} when there is none) in the low 32 bits, plus {@link #NOT_PLAIN} when a byte before it has
   * its high bit set or is NUL. Kept small so the JIT compiles it into a tight loop.
   */
  static long scanToLf(byte[] b, int from, int to) {
    long high = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long v = (long) LONGS.get(b, i);
      long x = v ^ 0x0A0A0A0A0A0A0A0AL;
      if (((x - 0x0101010101010101L) & ~x & HIGH_BITS) != 0) {
        break;
      }
      // (v - 0x01..) sets the high bit of the lowest zero byte (and of bytes >= 0x81); or-ing v
      // adds every byte >= 0x80. Exact as to whether either exists, which is all that is asked.
      high |= (v - LOW_BITS) | v;
    }
    for (; i < to; i++) {
      byte c = b[i];
      if (c == '\n') {
        break;
      }
      high |= c == 0 ? 0x80 : c;
    }
    return i | ((high & HIGH_BITS) != 0 ? NOT_PLAIN : 0);
  }
}
