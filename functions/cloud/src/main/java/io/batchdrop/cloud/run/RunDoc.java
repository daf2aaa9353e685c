package io.batchdrop.cloud.run;

/**
 * Field names of {@code runs/{runId}} in Firestore (design §4), shared by the three functions.
 * Nested fields are addressed with dots in updates, e.g. {@code counts.valid}.
 */
public final class RunDoc {
  public static final String COLLECTION = "runs";

  public static final String SOURCE = "source"; // map: bucket, name, generation, size, md5, uri
  public static final String MODEL = "model";

  /** The batch backend the run's jobs go to; absent on older runs: vertex. */
  public static final String BACKEND = "backend";

  public static final String MODEL_RESOURCE = "modelResource";
  public static final String POLICY = "policy";
  public static final String STATE = "state"; // RunState name
  public static final String REASON = "reason"; // why REJECTED or FAILED, in plain words
  public static final String COUNTS =
      "counts"; // map: rows, valid, invalid, warnings, succeeded, failed, missing, published
  public static final String SHARDS =
      "shards"; // list of maps: shard, rows, bytes, firstRow, lastRow
  public static final String JOB_IDS = "jobIds";
  public static final String INVALID_URI = "invalidUri";
  public static final String REPORT_URI = "reportUri";
  public static final String FIRST_ERRORS = "firstErrors"; // the first findings, for a quick look
  public static final String STAGED = "progress.staged";
  public static final String ACCEPTED_ANNOUNCED = "progress.acceptedAnnounced";
  public static final String INVALID_PUBLISHED = "progress.invalidPublished";

  /** Rows of {@code invalid.jsonl} confirmed published so far: where a redelivery resumes. */
  public static final String INVALID_PUBLISHED_ROWS = "progress.invalidPublishedRows";

  /** Set by {@code batchdrop cancel}: the run's rows are not retried and it ends CANCELLED. */
  /**
   * Map: inputTokens, outputTokensBound, rowsAtModelMaximum, batchCostUsd (decimal string, or
   * absent without a price), method; computed by submit while it validates.
   */
  public static final String ESTIMATE = "estimate";

  /**
   * How many of submit's invocations failed for a transient reason (asking for a redelivery), and
   * the last such error in a few words; poll's watchdog fails the run past {@code
   * BATCHDROP_RUN_MAX_FAILURES}.
   */
  public static final String SUBMIT_FAILURES = "failures.submit";

  public static final String LAST_FAILURE = "failures.last";

  public static final String CANCEL_REQUESTED_AT = "cancelRequestedAt";

  /** Map: prompt, cached, candidates, thoughts, toolUse, total; set when the run closes. */
  public static final String TOKENS = "tokens";

  /** Map: inputUsd, cachedInputUsd, outputUsd, totalUsd (decimal strings), or null if unknown. */
  public static final String COST = "cost";

  /** True once the run's final counts are recorded; {@code run.completed} follows. */
  public static final String CLOSED = "closed";

  /**
   * The job whose publish closed the run: only its invocation (or, after a crash, that job's
   * redelivery) sends {@code run.completed}, so two jobs finishing together send it once.
   */
  public static final String CLOSED_BY = "closedBy";

  public static final String COMPLETED_ANNOUNCED = "completedAnnounced";
  public static final String CREATED_AT = "createdAt";
  public static final String UPDATED_AT = "updatedAt";
  public static final String SUBMITTED_AT = "submittedAt";
  public static final String COMPLETED_AT = "completedAt";

  private RunDoc() {}
}
