package io.batchdrop.staging;

import io.batchdrop.validation.LineLayout;
import io.batchdrop.validation.RowKeys;
import io.batchdrop.validation.ValidLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Stages a valid line of the usual shape by copying its bytes with at most three splices, where
 * {@link StagedLineEncoder} would parse it again and write it token by token: the {@code key}
 * member put first (or {@code "key":"row-N"} added there), and {@code "batchdrop_row":"row-N"}
 * added at the start of {@code request.labels} (or a labels object with it at the start of the
 * request). The validator recorded where ({@link LineLayout}); the line differs from the token
 * path's only in what a JSON reader ignores (whitespace, member order, the spelling of escapes), so
 * it parses to the same tree. Leading and trailing whitespace (a CR of a CRLF line) is left out.
 * Not thread-safe.
 */
final class LineSplicer {

  private static final byte[] KEY = "\"key\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LABELS =
      ("\"labels\":{\"" + RowKeys.ROW_LABEL + "\":\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROW_LABEL =
      ("\"" + RowKeys.ROW_LABEL + "\":\"").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ROW = "row-".getBytes(StandardCharsets.US_ASCII);

  /** Inserted bytes: the key member first, then the row label. */
  private final ByteSink inserted = new ByteSink(256);

  private byte[] line;
  private int base;
  private int open;
  private int close;
  private int keyInsertEnd;
  private int cutFrom;
  private int cutTo;
  private int labelAt;

  /**
   * Plans the staged line; its size in bytes with the LF, or -1 when the line must be staged token
   * by token (no layout, or one that does not match the bytes).
   */
  int plan(ValidLine valid) {
    LineLayout layout = valid.layout();
    if (layout == null || !matches(valid, layout)) {
      return -1;
    }
    line = valid.buffer();
    base = valid.offset();
    open = layout.open();
    close = layout.close();
    inserted.reset();
    cutFrom = -1;
    cutTo = -1;
    if (!layout.keyInPlace()) {
      if (layout.keyName() >= 0) {
        if (layout.keyNext() != close) {
          // The member and the comma after it: `"key":"k", `.
          cutFrom = layout.keyName();
          cutTo = layout.keyNext();
          if (layout.userKey()) {
            append(line, base + cutFrom, cutTo - cutFrom);
          }
        } else {
          // The last member: it goes with the comma before it.
          cutFrom = commaBefore(layout.keyName());
          cutTo = close;
          if (cutFrom < 0) {
            return -1;
          }
          if (layout.userKey()) {
            append(line, base + layout.keyName(), close - layout.keyName());
            append((byte) ',');
          }
        }
      }
      if (!layout.userKey()) {
        append(KEY, 0, KEY.length);
        appendRowKey(valid.row());
        append((byte) '"');
        append((byte) ',');
      }
    }
    keyInsertEnd = inserted.size();
    if (layout.labelsOpen() < 0) {
      labelAt = layout.requestOpen() + 1;
      append(LABELS, 0, LABELS.length);
      appendRowKey(valid.row());
      append((byte) '"');
      append((byte) '}');
      append((byte) ',');
    } else {
      labelAt = layout.labelsOpen() + 1;
      append(ROW_LABEL, 0, ROW_LABEL.length);
      appendRowKey(valid.row());
      append((byte) '"');
      if (!layout.labelsEmpty()) {
        append((byte) ',');
      }
    }
    int cut = cutFrom < 0 ? 0 : cutTo - cutFrom;
    return (close + 1 - open) + inserted.size() - cut + 1;
  }

  /** Writes the planned line and its LF. */
  void writeTo(OutputStream out) throws IOException {
    int at = open;
    out.write(line, base + at, 1);
    at++;
    inserted.writeTo(out, 0, keyInsertEnd);
    if (cutFrom >= 0 && cutFrom < labelAt) {
      out.write(line, base + at, cutFrom - at);
      at = cutTo;
    }
    out.write(line, base + at, labelAt - at);
    inserted.writeTo(out, keyInsertEnd, inserted.size());
    at = labelAt;
    if (cutFrom >= labelAt) {
      out.write(line, base + at, cutFrom - at);
      at = cutTo;
    }
    out.write(line, base + at, close + 1 - at);
    out.write('\n');
  }

  /**
   * The bytes are where the layout says: a cheap guard, so that a layout that does not fit its line
   * (never expected) costs the token path rather than a broken line.
   */
  private static boolean matches(ValidLine valid, LineLayout l) {
    byte[] b = valid.buffer();
    int at = valid.offset();
    int n = valid.length();
    return inside(l.open(), n)
        && inside(l.close(), n)
        && inside(l.requestOpen(), n)
        && l.open() < l.requestOpen()
        && l.requestOpen() < l.close()
        && b[at + l.open()] == '{'
        && b[at + l.close()] == '}'
        && b[at + l.requestOpen()] == '{'
        && (l.labelsOpen() < 0
            || (l.labelsOpen() > l.requestOpen()
                && l.labelsOpen() < l.close()
                && b[at + l.labelsOpen()] == '{'))
        && (l.keyName() < 0
            || (l.keyName() > l.open()
                && l.keyNext() > l.keyName()
                && l.keyNext() <= l.close()
                && b[at + l.keyName()] == '"'
                && (l.keyNext() == l.close() || b[at + l.keyNext()] == '"')
                // The key member lies outside the request.
                && (l.keyNext() <= l.requestOpen() || l.keyName() > l.requestOpen())));
  }

  private static boolean inside(int offset, int length) {
    return offset >= 0 && offset < length;
  }

  /** The comma between the member ending before {@code name} and the one starting there. */
  private int commaBefore(int name) {
    for (int i = name - 1; i > open; i--) {
      byte c = line[base + i];
      if (c == ',') {
        return i;
      }
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return -1;
      }
    }
    return -1;
  }

  private void appendRowKey(long row) {
    append(ROW, 0, ROW.length);
    if (row < 0) {
      throw new IllegalArgumentException("expected a row number of at least 1, got " + row);
    }
    long scale = 1;
    while (row / scale >= 10) {
      scale *= 10;
    }
    for (; scale > 0; scale /= 10) {
      append((byte) ('0' + row / scale % 10));
    }
  }

  private void append(byte b) {
    inserted.write(b);
  }

  private void append(byte[] b, int off, int len) {
    inserted.write(b, off, len);
  }
}
