package io.batchdrop.cloud.jobs;

/** Field names of {@code jobs/{jobId}} in Firestore (design §4), shared by the three functions. */
public final class JobDoc {
  public static final String COLLECTION = "jobs";

  public static final String RUN_ID = "runId";
  public static final String SHARD = "shard";
  public static final String ATTEMPT = "attempt";
  public static final String MODEL = "model";
  public static final String INPUT_URI = "inputUri";
  public static final String OUTPUT_URI_PREFIX = "outputUriPrefix";
  public static final String ROWS = "rows";
  public static final String FIRST_ROW = "firstRow";
  public static final String LAST_ROW = "lastRow";

  /** {@link #CREATING} until Vertex answered, then the Vertex {@code JobState} name. */
  public static final String STATE = "state";

  /** The batch backend the job runs on ({@link Backends}); absent on older documents: Vertex. */
  public static final String BACKEND = "backend";

  /** The {@code JobState} number, kept because a newer server may send one the client lacks. */
  public static final String STATE_VALUE = "stateValue";

  public static final String VERTEX_NAME = "vertexName";
  public static final String ACTIVE = "active";
  public static final String NEXT_POLL_AT = "nextPollAt";
  public static final String CREATE_REQUESTED_AT = "createRequestedAt";
  public static final String VERTEX_CREATE_TIME = "vertexCreateTime";
  public static final String CREATE_ERROR = "createError";
  public static final String UPDATED_AT = "updatedAt";

  /**
   * Who may call create for a job still {@link #CREATING}, and until when: one caller at a time,
   * for a window it also respects, so submit and poll never both create a shard's job.
   */
  public static final String CREATOR_OWNER = "creator.owner";

  public static final String CREATOR_UNTIL = "creator.until";

  /** Set once {@code job.submitted} went out, so a redelivery that finds it unset sends it. */
  public static final String SUBMITTED_ANNOUNCED = "submittedAnnounced";

  // Recorded by poll from each Vertex answer that changed something (design §4).
  public static final String VERTEX_START_TIME = "vertexStartTime";
  public static final String VERTEX_END_TIME = "vertexEndTime";
  public static final String VERTEX_UPDATE_TIME = "vertexUpdateTime";

  /** Map of numbers: successfulCount, failedCount, incompleteCount (-1 = unknown). */
  public static final String COMPLETION_STATS = "completionStats";

  /** Map: code (number), message; only for FAILED or CANCELLED jobs. */
  public static final String ERROR = "error";

  /** List of maps: code, message (Vertex keeps at most 20). */
  public static final String PARTIAL_FAILURES = "partialFailures";

  /** {@code outputInfo.gcsOutputDirectory}: where the predictions files are. */
  public static final String OUTPUT_DIRECTORY = "outputDirectory";

  /** List of maps: state, stateValue, at; the most recent entries only. */
  public static final String STATE_HISTORY = "stateHistory";

  /** A digest of the recorded Vertex fields: an answer with the same digest changes nothing. */
  public static final String OBSERVED = "observed";

  public static final String STATE_CHANGED_AT = "stateChangedAt";

  /** When the completions hand-off was last sent; epoch while one is due but not yet sent. */
  public static final String HANDOFF_AT = "handoffAt";

  public static final String HANDOFF_COUNT = "handoffCount";

  /**
   * When the hand-off first came due (the terminal state was recorded): poll reports a job whose
   * publish is still not done long after it ({@code BATCHDROP_STUCK_PUBLISH_HOURS}).
   */
  public static final String HANDOFF_DUE_AT = "handoffDueAt";

  /**
   * Set true by publish once every row of the job is published; false from the terminal state on.
   */
  public static final String PUBLISH_DONE = "publish.done";

  /** Map: watchdog threshold name to when its {@code job.stuck} event was sent. */
  public static final String STUCK = "stuck";

  public static final String CANCEL_REQUESTED_AT = "cancelRequestedAt";

  /** Written before the create call; a job left in it lost its answer and is found by label. */
  public static final String CREATING = "CREATING";

  /**
   * Vertex answered NOT_FOUND for the job on several polls in a row (poll's {@code
   * BATCHDROP_LOST_AFTER_NOT_FOUND}): terminal, no output; handed to publish like a finished job,
   * so its rows take the missing / retry path.
   */
  public static final String LOST = "JOB_LOST";

  /** Vertex refused the create for good (bad model, bad argument, no permission). */
  public static final String CREATE_FAILED = "CREATE_FAILED";

  private JobDoc() {}
}
