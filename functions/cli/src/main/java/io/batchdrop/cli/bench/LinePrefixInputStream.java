package io.batchdrop.cli.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The first {@code minBytes} of a stream, extended to the end of the line they stop in. */
final class LinePrefixInputStream extends FilterInputStream {
  private final long minBytes;
  private long read;
  private boolean ended;

  LinePrefixInputStream(InputStream in, long minBytes) {
    super(in);
    this.minBytes = minBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (ended) {
      return -1;
    }
    int n = in.read(buffer, offset, length);
    if (n < 0) {
      return n;
    }
    long before = read;
    read += n;
    if (read < minBytes) {
      return n;
    }
    // The limit lies in this chunk: stop after the first newline at or past it.
    for (int i = (int) Math.max(0, minBytes - 1 - before); i < n; i++) {
      if (buffer[offset + i] == '\n') {
        ended = true;
        return i + 1;
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported");
  }

  @Override
  public int available() {
    return 0;
  }
}
