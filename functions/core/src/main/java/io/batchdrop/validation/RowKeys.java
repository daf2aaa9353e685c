package io.batchdrop.validation;

/**
 * How a row is named in staged lines: the label {@code request.labels.batchdrop_row = "row-{n}"},
 * which Vertex echoes back, carries the row number; the top-level {@code key} is the user's key or
 * the same {@code row-{n}}.
 */
public final class RowKeys {

  /** The label that carries the row number in every staged request. */
  public static final String ROW_LABEL = "batchdrop_row";

  private static final String PREFIX = "row-";

  private RowKeys() {}

  /** {@code row-{row}}: the label value, and the key of a row without a user key. */
  public static String rowKey(long row) {
    return PREFIX + row;
  }

  /** The row number of a {@code row-{n}} value, or -1 when the value is not one. */
  public static long parseRow(String value) {
    if (value == null
        || !value.startsWith(PREFIX)
        || value.length() == PREFIX.length()
        || value.length() > PREFIX.length() + 18) {
      return -1;
    }
    long row = 0;
    for (int i = PREFIX.length(); i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      row = row * 10 + (c - '0');
    }
    return row;
  }
}
