package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a staged shard back, one line at a time, from a byte offset: each line's row (from {@code
 * request.labels.batchdrop_row}), its key and its bytes, for the rows an attempt did not finish.
 * Staged lines are ours (one JSON object per LF-terminated line, at most the line limit plus what
 * staging adds), so a line this reader cannot read is a bug, reported, never skipped silently.
 */
final class StagedRows {
  private final InputStream in;
  private final int maxLineBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private long offset;

  /** One staged line: its row, key, bytes (LF included) and the offset just past it. */
  record StagedRow(long row, String key, byte[] bytes, long endOffset) {}

  StagedRows(InputStream in, long startOffset, int maxLineBytes) {
    this.in = in;
    this.offset = startOffset;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the shard. */
  StagedRow next() throws IOException {
    line.reset();
    while (true) {
      if (position == limit) {
        limit = in.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return line.size() == 0 ? null : parse();
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      boolean ended = position < limit;
      if (ended) {
        position++;
      }
      line.write(buffer, start, position - start);
      if (line.size() > maxLineBytes) {
        throw new IOException(
            "a staged line at byte " + offset + " is over " + maxLineBytes + " bytes");
      }
      if (ended) {
        return parse();
      }
    }
  }

  private StagedRow parse() throws IOException {
    byte[] bytes = line.toByteArray();
    long lineStart = offset;
    offset += bytes.length;
    String key = null;
    String label = null;
    try (JsonParser p = PublishJson.factory().createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the staged line at byte " + lineStart + " is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("key") && value == JsonToken.VALUE_STRING) {
          key = p.getText();
        } else if (field.equals("request") && value == JsonToken.START_OBJECT) {
          label = label(p);
        } else {
          p.skipChildren();
        }
      }
    }
    long row = label == null ? -1 : RowLabels.parse(label);
    if (row < 1) {
      throw new IOException("the staged line at byte " + lineStart + " has no batchdrop_row label");
    }
    return new StagedRow(row, key, bytes, offset);
  }

  /** Reads {@code request} to its end, returning {@code labels.batchdrop_row}. */
  private static String label(JsonParser p) throws IOException {
    String label = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("labels") && value == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (p.nextToken() == JsonToken.VALUE_STRING && name.equals("batchdrop_row")) {
            label = p.getText();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return label;
  }
}
