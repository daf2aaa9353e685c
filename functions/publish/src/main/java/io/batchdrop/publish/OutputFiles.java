package io.batchdrop.publish;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.log.StructuredLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The prediction files of a finished job, in name order (reference §2): every {@code
 * predictions*.jsonl} under the output directory, skipping {@code incremental_predictions/}
 * (Vertex's partial copies, which would repeat rows); any other object is logged and left alone.
 */
final class OutputFiles {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");

  private OutputFiles() {}

  /** One prediction file: its place in name order, name, size and the generation listed. */
  record OutputFile(int index, String bucket, String name, long size, long generation) {}

  static List<OutputFile> list(Storage storage, GcsLocation location, String jobId) {
    List<Blob> found = new ArrayList<>();
    for (Blob blob :
        storage
            .list(location.bucket(), Storage.BlobListOption.prefix(location.directory()))
            .iterateAll()) {
      String name = blob.getName();
      String file = name.substring(name.lastIndexOf('/') + 1);
      if (name.contains("/incremental_predictions/")) {
        continue;
      }
      if (file.startsWith("predictions") && file.endsWith(".jsonl")) {
        found.add(blob);
      } else if (!file.isEmpty()) {
        LOG.info().job(jobId).with("object", name).log("output object that is not predictions");
      }
    }
    found.sort(Comparator.comparing(Blob::getName));
    List<OutputFile> files = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Blob blob = found.get(i);
      files.add(
          new OutputFile(
              i, blob.getBucket(), blob.getName(), blob.getSize(), blob.getGeneration()));
    }
    return files;
  }
}
