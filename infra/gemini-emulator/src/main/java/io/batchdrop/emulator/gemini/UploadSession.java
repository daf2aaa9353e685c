package io.batchdrop.emulator.gemini;

import java.util.Optional;

/**
 * One resumable upload between {@code start} and {@code finalize}. Chunks must arrive at the offset
 * already received; the finished file must have the size announced at start, so a client that
 * finalizes early (a short read) is told instead of getting a truncated file.
 */
final class UploadSession {

  private final String id;
  private final Optional<String> displayName;
  private final String mimeType;
  private final long declaredSize;
  private final long maxFileBytes;
  private final FileBytes bytes = new FileBytes();

  UploadSession(
      String id,
      Optional<String> displayName,
      String mimeType,
      long declaredSize,
      long maxFileBytes) {
    this.id = id;
    this.displayName = displayName;
    this.mimeType = mimeType;
    this.declaredSize = declaredSize;
    this.maxFileBytes = maxFileBytes;
  }

  String id() {
    return id;
  }

  Optional<String> displayName() {
    return displayName;
  }

  String mimeType() {
    return mimeType;
  }

  FileBytes bytes() {
    return bytes;
  }

  /** The most a next chunk may carry: what the announced size leaves. */
  synchronized long remaining() {
    return Math.max(0, Math.min(declaredSize, maxFileBytes) - bytes.size());
  }

  synchronized long received() {
    return bytes.size();
  }

  synchronized void append(long offset, byte[] chunk) {
    if (offset != bytes.size()) {
      throw ApiError.invalid(
          "X-Goog-Upload-Offset is "
              + offset
              + " but "
              + bytes.size()
              + " bytes were received; expected the next chunk at "
              + bytes.size()
              + ".");
    }
    if (bytes.size() + chunk.length > Math.min(declaredSize, maxFileBytes)) {
      throw ApiError.invalid(
          "The upload is longer than the "
              + declaredSize
              + " bytes announced in X-Goog-Upload-Header-Content-Length.");
    }
    bytes.add(chunk);
  }

  synchronized void requireComplete() {
    if (bytes.size() != declaredSize) {
      throw ApiError.invalid(
          "The upload was finalized after "
              + bytes.size()
              + " bytes; X-Goog-Upload-Header-Content-Length announced "
              + declaredSize
              + ".");
    }
  }
}
