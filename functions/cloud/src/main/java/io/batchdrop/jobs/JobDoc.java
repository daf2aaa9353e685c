package io.batchdrop.jobs;

/** Field names of {@code jobs/{jobId}} in Firestore (DESIGN §4), shared by the three functions. */
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
  /** The {@code JobState} number, kept because a newer server may send one the client lacks. */
  public static final String STATE_VALUE = "stateValue";
  public static final String VERTEX_NAME = "vertexName";
  public static final String ACTIVE = "active";
  public static final String NEXT_POLL_AT = "nextPollAt";
  public static final String CREATE_REQUESTED_AT = "createRequestedAt";
  public static final String VERTEX_CREATE_TIME = "vertexCreateTime";
  public static final String CREATE_ERROR = "createError";
  public static final String UPDATED_AT = "updatedAt";

  /** Written before the create call; a job left in it lost its answer and is found by label. */
  public static final String CREATING = "CREATING";
  /** Vertex refused the create for good (bad model, bad argument, no permission). */
  public static final String CREATE_FAILED = "CREATE_FAILED";

  private JobDoc() {}
}
