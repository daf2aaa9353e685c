package io.batchdrop.publish;

import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;

/**
 * What {@code publish} needs of one finished job attempt and its run, read once when it takes the
 * job: where the output and the staged input are, which rows the attempt holds, whether its rows
 * may still be retried, and how a row without output ends when they may not.
 */
record FinishedJob(
    JobId jobId,
    String model,
    String state,
    long rows,
    long firstRow,
    long lastRow,
    String inputUri,
    String outputLocation,
    String sourceUri,
    boolean retriesAllowed,
    String createError,
    String backend) {

  static final String CANCELLED = "JOB_STATE_CANCELLED";

  /**
   * @throws IllegalArgumentException when the job document lacks the rows it holds: a permanent
   *     problem, which no redelivery fixes
   */
  static FinishedJob of(DocumentSnapshot job, DocumentSnapshot run, int maxAttempts) {
    JobId id = JobId.parse(job.getId());
    for (String field : new String[] {JobDoc.FIRST_ROW, JobDoc.LAST_ROW, JobDoc.ROWS}) {
      if (!(job.get(field) instanceof Long)) {
        throw new IllegalArgumentException(
            "the job document "
                + id
                + " has no whole number "
                + field
                + " (found "
                + job.get(field)
                + "): which rows are its cannot be known");
      }
    }
    String state = job.getString(JobDoc.STATE);
    String output = job.getString(JobDoc.OUTPUT_DIRECTORY);
    if (output == null || output.isEmpty()) {
      output = job.getString(JobDoc.OUTPUT_URI_PREFIX);
    }
    boolean userCancelled =
        CANCELLED.equals(state)
            || job.get(JobDoc.CANCEL_REQUESTED_AT) != null
            || run.get(RunDoc.CANCEL_REQUESTED_AT) != null;
    boolean submitFailed = JobDoc.CREATE_FAILED.equals(state);
    // A run field of the wrong type is no value here; the run's close names it (RunFields).
    String runState = FieldTypes.string(run, RunDoc.STATE);
    boolean runFailed = "FAILED".equals(runState) || "CANCELLED".equals(runState);
    return new FinishedJob(
        id,
        job.getString(JobDoc.MODEL),
        state,
        longOf(job, JobDoc.ROWS),
        longOf(job, JobDoc.FIRST_ROW),
        longOf(job, JobDoc.LAST_ROW),
        job.getString(JobDoc.INPUT_URI),
        output,
        sourceUri(run),
        id.attempt() < maxAttempts && !userCancelled && !submitFailed && !runFailed,
        submitFailed ? job.getString(JobDoc.CREATE_ERROR) : null,
        job.getString(JobDoc.BACKEND) == null ? Backends.VERTEX : job.getString(JobDoc.BACKEND));
  }

  /** The same job with its held-back rows going to the next attempt, which was already begun. */
  FinishedJob retrying() {
    return new FinishedJob(
        jobId,
        model,
        state,
        rows,
        firstRow,
        lastRow,
        inputUri,
        outputLocation,
        sourceUri,
        true,
        createError,
        backend);
  }

  boolean submitFailed() {
    return createError != null || JobDoc.CREATE_FAILED.equals(state);
  }

  /** Gemini API output names a row only by its {@code key}, {@code row-N} (design §2). */
  boolean rowsKeyedByNumber() {
    return Backends.GEMINI_API.equals(backend);
  }

  boolean cancelled() {
    return CANCELLED.equals(state);
  }

  ResultContext context() {
    return new ResultContext(jobId.run().value(), jobId.value(), jobId.attempt(), model);
  }

  /**
   * The upload the run came from, for each message's {@code source}: its {@code source.uri}, else
   * (not a string) rebuilt from its bucket and name, else empty; the run's close names the field.
   */
  private static String sourceUri(DocumentSnapshot run) {
    String uri = FieldTypes.string(run, RunDoc.SOURCE + ".uri");
    if (uri != null) {
      return uri;
    }
    String bucket = FieldTypes.string(run, RunDoc.SOURCE + ".bucket");
    String name = FieldTypes.string(run, RunDoc.SOURCE + ".name");
    return bucket == null || name == null ? "" : "gs://" + bucket + "/" + name;
  }

  private static long longOf(DocumentSnapshot doc, String field) {
    Long value = doc.getLong(field);
    return value == null ? 0 : value;
  }
}
