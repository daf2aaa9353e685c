package io.batchdrop.publish;

/**
 * The outcome of one attributable output row, by the documented shapes (vertex-batch.md §2.3):
 * {@code status} empty or absent and a {@code response} with at least one member is {@code
 * succeeded}; anything else is {@code failed}, with the error parsed from the status. A non-empty
 * status wins over any response: the seed documentation's failure example carries {@code
 * "response": {}} beside its status.
 *
 * <p>A row Vertex answered without a usable answer is still {@code succeeded}: a blocked prompt (no
 * candidates, {@code promptFeedback.blockReason} set) or a finish reason other than {@code STOP}
 * (SAFETY, MAX_TOKENS, RECITATION, ...). The model processed the request and billed it, sending it
 * again gives the same answer, and the subscriber sees why in the {@code finish_reason} attribute
 * and the {@code finishReason} and {@code promptFeedback} of the data. Retrying is only for errors
 * that may pass ({@link RowError#retryable()}).
 *
 * @param succeeded true for {@code succeeded}
 * @param error why it failed; null when it succeeded
 */
public record RowVerdict(boolean succeeded, RowError error) {

  private static final RowVerdict SUCCEEDED = new RowVerdict(true, null);

  public RowVerdict {
    if (succeeded == (error != null)) {
      throw new IllegalArgumentException("a failed verdict has an error, a succeeded one none");
    }
  }

  public static RowVerdict of(PredictionRow row) {
    if (!row.attributable()) {
      throw new IllegalArgumentException(
          "an unattributable line has no verdict, it answers no row: " + row.problem());
    }
    String status = row.status();
    ResponseBody response = row.response();
    boolean noStatus = status == null || status.isBlank();
    if (noStatus && response != null && !response.isEmpty()) {
      return SUCCEEDED;
    }
    if (!noStatus) {
      return new RowVerdict(false, RowError.parse(status));
    }
    String why =
        response == null
            ? "the output row has neither a status nor a response"
            : "the output row has an empty response and no status";
    return new RowVerdict(false, new RowError(null, null, why));
  }

  /** {@code succeeded} or {@code failed}, the result's status. */
  public String label() {
    return succeeded ? "succeeded" : "failed";
  }

  /** True for a failed row whose error may pass when the request is sent again. */
  public boolean retryable() {
    return error != null && error.retryable();
  }
}
