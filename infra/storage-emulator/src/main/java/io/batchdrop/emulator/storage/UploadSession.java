package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.InputStream;

/**
 * One resumable upload: the object it will create, the bytes received so far, and once finished,
 * the version it became. Requests for one session are handled one at a time.
 */
final class UploadSession {
  private final ObjectKey key;
  private final ObjectRepository.NewVersion version;
  private BlobBuffer buffer; // dropped once finished, so a finished session holds no bytes
  private ObjectMeta result;
  private boolean failed;

  UploadSession(ObjectKey key, ObjectRepository.NewVersion version, BlobBuffer buffer) {
    this.key = key;
    this.version = version;
    this.buffer = buffer;
  }

  /**
   * Appends the chunk that starts at {@code first}. Bytes the session already has (a client
   * resending after a lost answer) are skipped.
   */
  synchronized void append(long first, InputStream chunk) throws IOException {
    requireOpen();
    if (result != null) {
      return;
    }
    long have = buffer.size();
    if (first > have) {
      throw ApiException.invalid(
          "Invalid request: the chunk starts at byte "
              + first
              + " but only "
              + have
              + " bytes were received");
    }
    skip(chunk, have - first);
    buffer.append(chunk);
  }

  synchronized long received() {
    return result != null ? result.size() : buffer == null ? 0 : buffer.size();
  }

  /** The object this upload became, or null while it is still open. */
  synchronized ObjectMeta result() {
    return result;
  }

  /** Commits the received bytes, checking the client's declared checksums too. */
  synchronized ObjectMeta finish(ObjectRepository objects, ExpectedHashes declaredAtEnd) {
    if (result != null) {
      return result;
    }
    requireOpen();
    try {
      result =
          objects.commit(
              key, buffer, version.expecting(declaredAtEnd.or(version.expectedHashes())));
      return result;
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    } finally {
      release();
    }
  }

  synchronized void cancel() {
    failed = true;
    release();
  }

  private void release() {
    if (buffer != null) {
      buffer.close();
      buffer = null;
    }
  }

  private static void skip(InputStream in, long count) throws IOException {
    long remaining = count;
    while (remaining > 0) {
      long skipped = in.skip(remaining);
      if (skipped > 0) {
        remaining -= skipped;
      } else if (in.read() < 0) {
        return;
      } else {
        remaining--;
      }
    }
  }

  private void requireOpen() {
    if (failed) {
      throw ApiException.notFound(
          "The upload session was cancelled or failed and cannot continue.");
    }
  }
}
