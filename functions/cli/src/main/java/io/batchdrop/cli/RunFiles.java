package io.batchdrop.cli;

import com.google.cloud.BaseServiceException;
import io.batchdrop.cloud.run.RunId;
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
