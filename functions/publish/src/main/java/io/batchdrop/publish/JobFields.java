package io.batchdrop.publish;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.jobs.JobDoc;
import java.util.List;
import java.util.Optional;

/**
 * The types publish reads a job document's fields as ({@link FinishedJob}, {@link Progress}, the
 * hand-off it sends on). A document that breaks them (an edit by hand, a bug elsewhere) would fail
 * every delivery of it the same way, so publish checks them when it takes the job and decides such
 * a job once instead ({@link JobPublisher}).
 */
final class JobFields {
  private static final String P = Progress.PREFIX;
  private static final List<String> STRINGS =
      List.of(
          JobDoc.RUN_ID,
          JobDoc.STATE,
          JobDoc.BACKEND,
          JobDoc.VERTEX_NAME,
          JobDoc.MODEL,
          JobDoc.INPUT_URI,
          JobDoc.OUTPUT_URI_PREFIX,
          JobDoc.OUTPUT_DIRECTORY,
          JobDoc.CREATE_ERROR,
          P + "phase",
          P + "fileName",
          P + "problem",
          P + "next",
          P + "cost.inputUsd",
          P + "cost.cachedInputUsd",
          P + "cost.outputUsd",
          P + "cost.totalUsd");
  private static final List<String> NUMBERS =
      List.of(
          JobDoc.ROWS,
          JobDoc.FIRST_ROW,
          JobDoc.LAST_ROW,
          P + "file",
          P + "offset",
          P + "generation",
          P + "leftoverOffset",
          P + "leftoverRow",
          P + GoneShard.Recorded.FIELD + ".fromRow",
          P + "counts.succeeded",
          P + "counts.failed",
          P + "counts.missing",
          P + "counts.retried",
          P + "counts.duplicates",
          P + "counts.unattributed",
          P + "tokens.prompt",
          P + "tokens.cached",
          P + "tokens.candidates",
          P + "tokens.thoughts",
          P + "tokens.toolUse",
          P + "tokens.total",
          P + "unpriced");
  private static final List<String> BOOLEANS =
      List.of(JobDoc.PUBLISH_DONE, P + GoneShard.Recorded.FIELD + ".unseenEnd");
  private static final List<String> BLOBS = List.of(P + "seen", P + "retry");

  private JobFields() {}

  /** The first field of the wrong type, said as {@code field X is a string ("…"); expected …}. */
  static Optional<String> problem(DocumentSnapshot doc) {
    return FieldTypes.check(doc, STRINGS, String.class, "a string")
        .or(() -> FieldTypes.check(doc, NUMBERS, Number.class, "a number"))
        .or(() -> FieldTypes.check(doc, BOOLEANS, Boolean.class, "a boolean"))
        .or(() -> FieldTypes.check(doc, BLOBS, Blob.class, "bytes"));
  }
}
