package io.batchdrop.cli;

import com.google.cloud.BaseServiceException;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import java.util.List;
import java.util.Optional;

/**
 * What {@code replay} and {@code results} say when the files a finished run left in the work bucket
 * are not all there: the bucket's lifecycle rule deletes them {@code work_retention_days} after
 * they were written, while the run's document stays.
 */
final class RunFiles {
  private RunFiles() {}

  /** Cloud Storage's answer when a read found no object (404), from anywhere in the causes. */
  static Optional<String> gone(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BaseServiceException service && service.getCode() == 404) {
        return Optional.of(String.valueOf(service.getMessage()));
      }
    }
    return Optional.empty();
  }

  static OpsException goneError(RunId run, String answer, String done) {
    return new OpsException(
        "a file of run "
            + run
            + " is gone from the work bucket ("
            + answer
            + "; a run's files are deleted work_retention_days after they were written); "
            + done,
        Main.EXIT_INVALID);
  }

  /**
   * Every job whose rows publish sent as succeeded still has its output: without it the rows would
   * be rebuilt from the staged input as missing, an outcome contradicting the one sent.
   */
  static void requireOutputs(Storage storage, RunId run, List<DocumentSnapshot> jobs, String done)
      throws OpsException {
    for (DocumentSnapshot job : jobs) {
      String output = job.getString(JobDoc.OUTPUT_DIRECTORY);
      if (RunStore.number(job, "publish.counts.succeeded") <= 0
          || output == null
          || !output.startsWith("gs://")) {
        continue;
      }
      String path = output.substring("gs://".length());
      int slash = path.indexOf('/');
      String bucket = slash < 0 ? path : path.substring(0, slash);
      String prefix = slash < 0 ? "" : path.substring(slash + 1);
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix += "/";
      }
      if (!hasPredictions(storage, bucket, prefix)) {
        throw new OpsException(
            "the output of job "
                + job.getId()
                + " ("
                + output
                + ") is gone from the work bucket (a run's files are deleted"
                + " work_retention_days after they were written), so its rows cannot be rebuilt"
                + " as publish sent them; "
                + done,
            Main.EXIT_INVALID);
      }
    }
  }

  private static boolean hasPredictions(Storage storage, String bucket, String prefix) {
    for (Blob blob : storage.list(bucket, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
      String name = blob.getName();
      String file = name.substring(name.lastIndexOf('/') + 1);
      if (!name.contains("/incremental_predictions/")
          && file.startsWith("predictions")
          && file.endsWith(".jsonl")) {
        return true;
      }
    }
    return false;
  }

  /** Rows the rebuilt messages did not cover, said in one line. */
  static String rowsWithout(RunId run, long without, long rows) {
    return Show.number(without)
        + " of "
        + Show.number(rows)
        + " rows of run "
        + run
        + " have no result in the work bucket any more";
  }
}
