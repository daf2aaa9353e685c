package io.batchdrop.emulator.vertex;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The objects a job's {@code gcsSource} names, read line by line through the storage client. */
final class InputFiles {

  private static final char BOM = '\uFEFF';

  private final Storage storage;
  private final List<BlobId> blobs;
  private final long bytes;

  private InputFiles(Storage storage, List<BlobId> blobs, long bytes) {
    this.storage = storage;
    this.blobs = blobs;
    this.bytes = bytes;
  }

  /** The size of every input object together. */
  long bytes() {
    return bytes;
  }

  /**
   * Resolves each uri to objects; a trailing {@code *} matches every object with that prefix.
   *
   * @throws ImportFailure when a uri matches nothing
   */
  static InputFiles resolve(Storage storage, List<String> uris) {
    List<BlobId> blobs = new ArrayList<>();
    long bytes = 0;
    for (String uri : uris) {
      GcsUri gcs = GcsUri.parse(uri);
      if (gcs.object().endsWith("*")) {
        String prefix = gcs.object().substring(0, gcs.object().length() - 1);
        List<BlobId> matches = new ArrayList<>();
        Page<Blob> page = storage.list(gcs.bucket(), Storage.BlobListOption.prefix(prefix));
        for (Blob blob : page.iterateAll()) {
          matches.add(blob.getBlobId());
          bytes += blob.getSize() == null ? 0 : blob.getSize();
        }
        if (matches.isEmpty()) {
          throw new ImportFailure("No files match " + uri + ".");
        }
        matches.sort((a, b) -> a.getName().compareTo(b.getName()));
        blobs.addAll(matches);
      } else {
        Blob blob = storage.get(BlobId.of(gcs.bucket(), gcs.object()));
        if (blob == null) {
          throw new ImportFailure("File " + uri + " does not exist.");
        }
        bytes += blob.getSize() == null ? 0 : blob.getSize();
        blobs.add(BlobId.of(gcs.bucket(), gcs.object()));
      }
    }
    return new InputFiles(storage, blobs, bytes);
  }

  /** Streams every non-blank line of every file, in order, never holding a whole file. */
  void forEachLine(Consumer<String> consumer) throws IOException {
    for (BlobId blob : blobs) {
      try (ReadChannel channel = storage.reader(blob);
          BufferedReader reader =
              new BufferedReader(
                  new InputStreamReader(
                      Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
        boolean first = true;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (first && !line.isEmpty() && line.charAt(0) == BOM) {
            line = line.substring(1);
          }
          first = false;
          if (!line.isBlank()) {
            consumer.accept(line);
          }
        }
      }
    }
  }

  /** The input cannot be imported: the whole job fails with code 3, as Vertex's importer does. */
  static final class ImportFailure extends RuntimeException {
    ImportFailure(String detail) {
      super(detail);
    }
  }
}
