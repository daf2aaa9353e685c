package io.batchdrop.publish;

import io.batchdrop.validation.RowKeys;

/** Reads the row number back from the label staging wrote: exactly {@code row-N}, N >= 1. */
final class RowLabels {

  private RowLabels() {}

  /** The row number, or -1 when the value is not a label staging could have written. */
  static long parse(String value) {
    long row = RowKeys.parseRow(value);
    // Canonical only: staging never writes leading zeros, so "row-007" is not ours.
    return row >= 1 && RowKeys.rowKey(row).equals(value) ? row : -1;
  }
}
