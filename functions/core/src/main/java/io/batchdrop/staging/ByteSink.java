package io.batchdrop.staging;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable in-memory buffer for one staged line, so its size is known before it is placed in a
 * shard.
 */
final class ByteSink extends OutputStream {

  private byte[] buf;
  private int count;

  ByteSink() {
    this(64 * 1024);
  }

  ByteSink(int initialCapacity) {
    buf = new byte[initialCapacity];
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, count, len);
    count += len;
  }

  private void ensure(int more) {
    if (count + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
    }
  }

  int size() {
    return count;
  }

  void reset() {
    count = 0;
  }

  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, count);
  }

  /** Writes bytes {@code [from, to)} of what was written since the last reset. */
  void writeTo(OutputStream out, int from, int to) throws IOException {
    out.write(buf, from, to - from);
  }
}
