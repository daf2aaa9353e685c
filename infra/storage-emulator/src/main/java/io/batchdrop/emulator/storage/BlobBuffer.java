package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes being received for an object version that is not live yet. Appended to by one upload
 * (possibly over several requests), then either installed by the {@link BlobStore} or closed, which
 * discards it.
 */
interface BlobBuffer extends AutoCloseable {

  /** Appends everything {@code in} yields, up to its end. */
  void append(InputStream in) throws IOException;

  long size();

  /** Ends the writing and returns the checksums of everything appended. */
  Checksums.Digests finish() throws IOException;

  @Override
  void close();
}
