package io.batchdrop.publish;

/**
 * One line of a {@code predictions*.jsonl} file as {@link PredictionReader} read it.
 *
 * <p>An attributable row ({@link #problem()} null) carries the row number from {@code
 * request.labels.batchdrop_row}. An unattributable one (the line is not JSON, not an object, or has
 * no valid row label) has row 0 and says why in {@link #problem()}: the caller logs and counts it,
 * and the row it would have answered stays unseen, hence {@code missing}. Either way {@link
 * #endOffset()} is where reading resumes after this line.
 *
 * @param row the 1-based row number, or 0 when unattributable
 * @param key the echoed top-level {@code key} (a number's text when Vertex coerced it); null when
 *     absent
 * @param offset the byte offset in the file where the line starts
 * @param endOffset the byte offset just past the line's LF (or the end of the file): a checkpoint
 * @param status {@code status} as written; null when absent or JSON null
 * @param processedTime {@code processed_time} as written; null when absent
 * @param response the {@code response} object; null when absent or JSON null
 * @param problem why the line cannot be attributed to a row; null when it can
 */
public record PredictionRow(
    long row,
    String key,
    long offset,
    long endOffset,
    String status,
    String processedTime,
    ResponseBody response,
    String problem) {

  public PredictionRow {
    if (offset < 0 || endOffset < offset) {
      throw new IllegalArgumentException(
          "offsets must satisfy 0 <= offset <= endOffset; got " + offset + " and " + endOffset);
    }
    if ((problem == null) != (row >= 1)) {
      throw new IllegalArgumentException(
          "an attributable row has a row number >= 1 and no problem; got row "
              + row
              + ", problem "
              + problem);
    }
  }

  /** The same row answered under another key: the user's, found again in the staged shard. */
  public PredictionRow withKey(String userKey) {
    return new PredictionRow(
        row, userKey, offset, endOffset, status, processedTime, response, problem);
  }

  /** The same row with its response rewritten (inline media moved to payloads/). */
  PredictionRow withResponse(ResponseBody rewritten) {
    return new PredictionRow(
        row, key, offset, endOffset, status, processedTime, rewritten, problem);
  }

  public boolean attributable() {
    return problem == null;
  }

  static PredictionRow unattributable(long offset, long endOffset, String problem) {
    return new PredictionRow(0, null, offset, endOffset, null, null, null, problem);
  }
}
