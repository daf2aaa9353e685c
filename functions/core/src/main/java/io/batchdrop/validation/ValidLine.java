package io.batchdrop.validation;

import java.util.List;

/**
 * A line that passed validation. The bytes {@code buffer[offset, offset + length)} are the line
 * without its terminator (and without a leading BOM); they are only valid during the callback.
 *
 * @param row 1-based physical line number in the file
 * @param key the user's {@code key} or {@code row-{row}}
 * @param warnings WARNING findings of this line
 * @param layout where staging may splice the line's bytes; null when it must parse it again
 * @param counts what the cost estimate needs of the line; null when it must parse it itself
 */
public record ValidLine(
    long row,
    String key,
    byte[] buffer,
    int offset,
    int length,
    List<Finding> warnings,
    LineLayout layout,
    RequestCounts counts) {

  /** A line without what the validator saw of it: staged and estimated by parsing it again. */
  public ValidLine(
      long row, String key, byte[] buffer, int offset, int length, List<Finding> warnings) {
    this(row, key, buffer, offset, length, warnings, null, null);
  }
}
