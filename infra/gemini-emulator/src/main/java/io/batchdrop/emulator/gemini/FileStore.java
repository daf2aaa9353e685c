package io.batchdrop.emulator.gemini;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The project's files and unfinished resumable uploads. A file past its expiration time is deleted
 * the moment anyone looks, as if the real API's cleanup had run.
 */
final class FileStore {

  private final Clock clock;
  private final GeminiKnobs knobs;
  private final long maxFileBytes;
  private final Map<String, StoredFile> files = new LinkedHashMap<>();
  private final Map<String, UploadSession> uploads = new LinkedHashMap<>();

  /** Files still PROCESSING: how many more reads answer PROCESSING before they are ACTIVE. */
  private final Map<String, Integer> processing = new LinkedHashMap<>();

  FileStore(Clock clock, GeminiKnobs knobs, long maxFileBytes) {
    this.clock = clock;
    this.knobs = knobs;
    this.maxFileBytes = maxFileBytes;
  }

  synchronized UploadSession startUpload(
      Optional<String> displayName, String mimeType, long declaredSize) {
    if (declaredSize > maxFileBytes) {
      throw ApiError.invalid(
          "File size " + declaredSize + " bytes exceeds the maximum of " + maxFileBytes + ".");
    }
    UploadSession session =
        new UploadSession(Ids.uploadSession(), displayName, mimeType, declaredSize, maxFileBytes);
    uploads.put(session.id(), session);
    return session;
  }

  synchronized Optional<UploadSession> upload(String sessionId) {
    return Optional.ofNullable(uploads.get(sessionId));
  }

  /** Turns a finished upload into an ACTIVE file. */
  synchronized StoredFile finish(UploadSession session) {
    uploads.remove(session.id());
    StoredFile file =
        add(
            Ids.file(),
            session.displayName().orElse(""),
            session.mimeType(),
            session.bytes(),
            "UPLOADED");
    int reads = knobs.takeProcessingReads();
    if (reads > 0) {
      processing.put(file.id(), reads);
      notifyAll();
    }
    return file;
  }

  /** Every file still {@code PROCESSING} is {@code ACTIVE} from now on. */
  synchronized void finishProcessing() {
    processing.clear();
  }

  /** Waits until at least {@code count} files are {@code PROCESSING}; false on timeout. */
  synchronized boolean awaitProcessing(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (processing.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** A files get: as {@link #get}, and one of the reads a PROCESSING file waits for. */
  synchronized Optional<StoredFile> read(String id) {
    Optional<StoredFile> file = get(id);
    Integer left = processing.get(id);
    if (file.isPresent() && left != null) {
      if (left == 0) {
        processing.remove(id);
      } else {
        processing.put(id, left - 1);
      }
    }
    return file;
  }

  /** {@code PROCESSING} until the file's planned reads are done, then {@code ACTIVE}. */
  synchronized String state(String id) {
    Integer left = processing.get(id);
    return left == null ? "ACTIVE" : "PROCESSING";
  }

  synchronized StoredFile addGenerated(String id, String mimeType, FileBytes bytes) {
    return add(id, "", mimeType, bytes, "GENERATED");
  }

  synchronized Optional<StoredFile> get(String id) {
    expire();
    return Optional.ofNullable(files.get(id));
  }

  synchronized boolean delete(String id) {
    expire();
    processing.remove(id);
    return files.remove(id) != null;
  }

  synchronized List<StoredFile> list() {
    expire();
    List<StoredFile> newestFirst = new ArrayList<>(files.values());
    java.util.Collections.reverse(newestFirst);
    return newestFirst;
  }

  synchronized void clear() {
    files.clear();
    uploads.clear();
    processing.clear();
  }

  private StoredFile add(
      String id, String displayName, String mimeType, FileBytes bytes, String source) {
    Instant now = clock.instant();
    StoredFile file =
        new StoredFile(
            id,
            displayName,
            mimeType,
            bytes.chunks(),
            bytes.size(),
            bytes.sha256Base64(),
            now,
            now.plus(knobs.fileLifetime()),
            source);
    files.put(id, file);
    return file;
  }

  private void expire() {
    Instant now = clock.instant();
    files.values().removeIf(file -> file.expiredAt(now));
  }
}
