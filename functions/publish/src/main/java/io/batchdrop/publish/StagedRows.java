package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * Reads a staged shard back, one line at a time, from a byte offset: each line's row (from {@code
 * request.labels.batchdrop_row}), its key and its bytes, for the rows an attempt did not finish.
 * Staged lines are ours (one JSON object per LF-terminated line), so a line this reader cannot
 * parse is a bug, reported, never skipped silently. A line longer than {@code maxLineBytes} (staged
 * before the deployment lowered {@code BATCHDROP_MAX_LINE_BYTES}) is still the run's: it is read
 * through in bounded memory, its row and key parsed as it streams by, its bytes not held (a reader
 * that needs them copies the line's byte range).
 */
final class StagedRows {
  private final InputStream in;
  private final int maxLineBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private long offset;

  /**
   * One staged line: its row, key, bytes (LF included; null when the line was longer than the
   * reader holds) and the offsets of its start and just past it.
   */
  record StagedRow(long row, String key, byte[] bytes, long startOffset, long endOffset) {
    /** False for a line longer than the reader holds: copy it by its offsets. */
    boolean held() {
      return bytes != null;
    }
  }

  StagedRows(InputStream in, long startOffset, int maxLineBytes) {
    this.in = in;
    this.offset = startOffset;
    this.maxLineBytes = maxLineBytes;
  }

  /** The next line, or null at the end of the shard. */
  StagedRow next() throws IOException {
    line.reset();
    while (true) {
      if (position == limit && !fill()) {
        return line.size() == 0 ? null : parse();
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
        return readThrough(ended);
      }
      if (ended) {
        return parse();
      }
    }
  }

  /** Reads more of the shard into the buffer; false at its end. */
  private boolean fill() throws IOException {
    limit = in.read(buffer);
    position = 0;
    if (limit <= 0) {
      limit = 0;
      return false;
    }
    return true;
  }

  private StagedRow parse() throws IOException {
    byte[] bytes = line.toByteArray();
    long lineStart = offset;
    offset += bytes.length;
    try (JsonParser p = PublishJson.factory().createParser(bytes)) {
      Head head = head(p, lineStart);
      return new StagedRow(head.row(), head.key(), bytes, lineStart, offset);
    }
  }

  /**
   * A line over the limit: parsed from what is held and the rest of the line as it streams in,
   * never held whole (Jackson skips a string it is not asked for without keeping it).
   */
  private StagedRow readThrough(boolean ended) throws IOException {
    long lineStart = offset;
    byte[] held = line.toByteArray();
    line.reset();
    RestOfLine rest = new RestOfLine(ended);
    Head head;
    try (JsonParser p =
        PublishJson.factory()
            .createParser(new SequenceInputStream(new ByteArrayInputStream(held), rest))) {
      head = head(p, lineStart);
    }
    rest.skipToEnd();
    offset += held.length + rest.read;
    return new StagedRow(head.row(), head.key(), null, lineStart, offset);
  }

  /** The rest of the current line from the shard, its LF included, and nothing after it. */
  private final class RestOfLine extends InputStream {
    private boolean ended;
    private long read;

    RestOfLine(boolean ended) {
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (ended || len == 0) {
        return ended ? -1 : 0;
      }
      if (position == limit && !fill()) {
        ended = true;
        return -1;
      }
      int start = position;
      int end = Math.min(limit, position + len);
      while (position < end && buffer[position] != '\n') {
        position++;
      }
      if (position < end) {
        position++;
        ended = true;
      }
      int n = position - start;
      System.arraycopy(buffer, start, b, off, n);
      read += n;
      return n;
    }

    /** Passes what the parser left of the line (its LF, trailing blanks). */
    void skipToEnd() throws IOException {
      byte[] skipped = new byte[8192];
      while (read(skipped, 0, skipped.length) >= 0) {
        // counted in read
      }
    }
  }

  private record Head(long row, String key) {}

  /**
   * The line's key and row label, the rest of its object skipped. A line Jackson cannot parse is
   * said without its text ({@link JsonProblem}): a staged line is a user's request.
   */
  private static Head head(JsonParser p, long lineStart) throws IOException {
    String key = null;
    String label = null;
    try {
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
    } catch (JsonProcessingException e) {
      throw new IOException(
          "the staged line at byte "
              + lineStart
              + " is not valid JSON: "
              + JsonProblem.describe(e, 0));
    }
    long row = label == null ? -1 : RowLabels.parse(label);
    if (row < 1) {
      throw new IOException("the staged line at byte " + lineStart + " has no batchdrop_row label");
    }
    return new Head(row, key);
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
