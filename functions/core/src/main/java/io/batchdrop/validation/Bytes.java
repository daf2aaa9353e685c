package io.batchdrop.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Reads eight bytes of an array as one long, for scanning text a word at a time. */
final class Bytes {

  static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  static final long HIGH_BITS = 0x8080808080808080L;

  private Bytes() {}
}
