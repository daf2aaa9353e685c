package io.batchdrop.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.results.InvalidRowPublisher;
import io.batchdrop.cloud.results.RowStatus;
import io.batchdrop.cloud.run.WorkLayout;
import java.io.IOException;
import java.time.Clock;
import java.util.List;

/**
 * The rows of one job attempt that end without its staged shard, gone (the work bucket's {@code
 * work_retention_days} lifecycle rule, or an operator) before publish could copy them into a next
 * attempt or give them their messages: each row of the attempt still without an outcome ends now,
 * under {@code row-N}: {@code missing} for a row the output never showed, {@code failed} for one
 * held back, both with {@code error.code} {@code staged_input_gone}; for a job never created,
 * {@code failed} with its reason ({@code job_not_created}), as with the shard.
 *
 * <p>Without the shard, its rows are the span's rows that are not the run's invalid ones ({@code
 * invalid.jsonl}), not answered by an earlier attempt (its checkpoint: seen and not held back), and
 * not passed already by this attempt's own pass over the shard (rows are staged in row order). When
 * {@code invalid.jsonl} is gone too and the span has invalid rows, the count decides when it can:
 * the rows the output never showed are all invalid (the attempt's rows all have their outcome), or
 * all the attempt's. Otherwise which of them are the attempt's cannot be known: they get no message
 * (a guess would give an invalid row a second outcome), the attempt's count of them is counted
 * {@code missing}, and the job carries a {@code problem} that the run reports.
 */
final class GoneShard {
  static final String CODE = "staged_input_gone";

  /** Told each row that ends now. */
  interface Ending {
    void accept(long row, RowStatus status, ObjectNode error)
        throws IOException, InterruptedException;
  }

  /**
   * Whether the rows never shown get their message, and, when which of them are the attempt's is
   * not known, the problem.
   */
  record Plan(boolean unseenEnd, String problem) {}

  /**
   * What the job's checkpoint keeps of an ending ({@code publish.stagedGone}), so that replay sends
   * what was sent: the first row ended and whether the rows never shown got their message.
   */
  record Recorded(long fromRow, boolean unseenEnd) {
    static final String FIELD = "stagedGone";
  }

  /** What ended: the counts to add (the unknown rows among the missing) and the plan. */
  record Ended(long missing, long failed, Plan plan) {}

  private final Storage storage;
  private final WorkLayout layout;
  private final Clock clock;

  GoneShard(Storage storage, WorkLayout layout, Clock clock) {
    this.storage = storage;
    this.layout = layout;
    this.clock = clock;
  }

  /**
   * The rows of the span answered by earlier attempts of the shard: seen in their output and not
   * held back (a held-back row went on to the next attempt). Empty for a first attempt.
   *
   * @throws EarlierAttemptUnreadable when an earlier attempt's checkpoint is not a row set of the
   *     shard's rows
   */
  static RowSet answeredBefore(FinishedJob job, List<DocumentSnapshot> earlier) {
    RowSet answered = new RowSet(job.firstRow(), job.lastRow());
    for (DocumentSnapshot doc : earlier) {
      RowSet seen;
      RowSet retry;
      try {
        seen = Progress.rows(doc, "seen", job.firstRow(), job.lastRow());
        retry = Progress.rows(doc, "retry", job.firstRow(), job.lastRow());
      } catch (IllegalArgumentException e) {
        throw new EarlierAttemptUnreadable(
            "the earlier attempt " + doc.getId() + " cannot be read: " + e.getMessage(), e);
      }
      for (long row = job.firstRow(); row <= job.lastRow(); row++) {
        if (seen.contains(row) && !retry.contains(row)) {
          answered.add(row);
        }
      }
    }
    return answered;
  }

  /**
   * The shard's rows in its first attempt: the span less its invalid rows. A count of the wrong
   * type is none, which only sends the callers to {@code invalid.jsonl} or the staged shard to tell
   * which rows are invalid.
   */
  static long firstAttemptRows(FinishedJob job, List<DocumentSnapshot> earlier) {
    for (DocumentSnapshot doc : earlier) {
      if (io.batchdrop.cloud.run.JobId.parse(doc.getId()).attempt() == 1) {
        return FieldTypes.number(doc, JobDoc.ROWS);
      }
    }
    return job.rows();
  }

  /**
   * The run's invalid rows in the job's span; null when the span has some (its first attempt held
   * fewer rows than it) and {@code invalid.jsonl} is gone, so which they are is not known.
   */
  RowSet invalidRows(FinishedJob job, long firstAttemptRows)
      throws IOException, InterruptedException {
    RowSet invalid = new RowSet(job.firstRow(), job.lastRow());
    if (firstAttemptRows >= job.lastRow() - job.firstRow() + 1) {
      return invalid;
    }
    BlobId file = BlobId.of(layout.workBucket(), layout.invalidObject(job.jobId().run()));
    if (storage.get(file) == null) {
      return null;
    }
    new InvalidRowPublisher(storage, clock)
        .read(
            file,
            job.jobId().run().value(),
            job.model(),
            job.sourceUri(),
            0,
            (count, result) -> {
              if (invalid.inRange(result.row())) {
                invalid.add(result.row());
              }
            });
    return invalid;
  }

  /**
   * Decides, for publish, whether the rows never shown end with a message: always when the invalid
   * rows are known; otherwise only when their count says which are the attempt's.
   *
   * @param unseenOfAttempt how many of the attempt's rows are still without an outcome and were
   *     never shown: its rows, less those seen, less those its pass already ended
   */
  static Plan plan(
      FinishedJob job,
      RowSet seen,
      RowSet answeredBefore,
      RowSet invalid,
      long fromRow,
      long unseenOfAttempt) {
    if (invalid != null) {
      return new Plan(true, null);
    }
    long unseen = 0;
    long low = 0;
    long high = 0;
    for (long row = Math.max(job.firstRow(), fromRow); row <= job.lastRow(); row++) {
      if (!answeredBefore.contains(row) && !seen.contains(row)) {
        unseen++;
        low = low == 0 ? row : low;
        high = row;
      }
    }
    if (unseenOfAttempt == unseen) {
      return new Plan(true, null); // every row never shown is the attempt's
    }
    if (unseenOfAttempt <= 0) {
      return new Plan(false, null); // every row never shown is invalid
    }
    return new Plan(
        false,
        "job "
            + job.jobId()
            + ": "
            + unseenOfAttempt
            + " of the "
            + unseen
            + " rows of "
            + low
            + ".."
            + high
            + " without output are the job's (the others invalid), but its staged input "
            + job.inputUri()
            + " and invalid.jsonl are both gone, so which cannot be known: those rows got no"
            + " message and are counted missing (failed when the job was never created)");
  }

  /**
   * Ends the rows from {@code fromRow} on as {@code plan} says, each told to {@code ending}; the
   * counts include {@code unseenOfAttempt} missing rows when the plan sends none of them.
   */
  Ended end(
      FinishedJob job,
      RowSet seen,
      RowSet heldBack,
      RowSet answeredBefore,
      RowSet invalid,
      long fromRow,
      Plan plan,
      long unseenOfAttempt,
      Ending ending)
      throws IOException, InterruptedException {
    String reason =
        "its staged input "
            + job.inputUri()
            + " is gone (deleted, or past the work bucket's retention) so it was not retried";
    ObjectNode missing = JsonNodeFactory.instance.objectNode();
    missing.put("code", CODE);
    missing.put(
        "message",
        "the job ended " + job.state() + " without a result for this row, and " + reason);
    ObjectNode failed = JsonNodeFactory.instance.objectNode();
    failed.put("code", CODE);
    failed.put(
        "message", "the row failed with a retryable error in " + job.jobId() + ", and " + reason);
    // A job never created: its rows fail with the reason, as from the staged shard.
    RowStatus unseenStatus = job.submitFailed() ? RowStatus.FAILED : RowStatus.MISSING;
    ObjectNode unseenError = job.submitFailed() ? JobDrain.leftoverError(job) : missing;
    long[] ended = new long[2];
    for (long row = Math.max(job.firstRow(), fromRow); row <= job.lastRow(); row++) {
      if (answeredBefore.contains(row) || (invalid != null && invalid.contains(row))) {
        continue;
      }
      boolean unseen = !seen.contains(row);
      if (unseen ? !plan.unseenEnd() : !heldBack.contains(row)) {
        continue;
      }
      ending.accept(row, unseen ? unseenStatus : RowStatus.FAILED, unseen ? unseenError : failed);
      ended[unseen && !job.submitFailed() ? 0 : 1]++;
    }
    long unknown = plan.problem() == null ? 0 : unseenOfAttempt;
    return job.submitFailed()
        ? new Ended(ended[0], ended[1] + unknown, plan)
        : new Ended(ended[0] + unknown, ended[1], plan);
  }
}
