package io.batchdrop.cloud.gemini;

import java.io.IOException;
import java.io.InputStream;

/**
 * What the SDK's upload loop needs from a stream (reference §1.2): its loop {@code while (read ==
 * chunkSize)} finalizes early on a short read, so every read fills the buffer unless the end came;
 * and at the end a read answers 0, never -1, because {@code Arrays.copyOfRange(buffer, 0, -1)}
 * throws when the size is an exact multiple of its 8 MiB chunk. An empty final chunk finalizes.
 */
final class FillingStream extends InputStream {
  private final InputStream in;

  FillingStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    return in.read();
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    return in.readNBytes(buffer, offset, length);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
