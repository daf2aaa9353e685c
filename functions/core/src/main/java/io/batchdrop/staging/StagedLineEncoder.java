package io.batchdrop.staging;

import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import io.batchdrop.validation.PlainStrings;
import io.batchdrop.validation.RowKeys;
import io.batchdrop.validation.ValidLine;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Re-serializes a valid line as it is submitted: token by token, numbers and strings exactly as
 * given, with the top-level {@code key} first, {@code request.labels.batchdrop_row = "row-{n}"}
 * added (a user's own value for that label replaced, other labels kept), and every {@code parts}
 * that is a bare object wrapped in an array (in {@code contents}, {@code systemInstruction} and an
 * embedding request's {@code content}). Ends the line with LF.
 */
final class StagedLineEncoder {

  private final JsonFactory factory;

  /** The line being encoded, for {@link #writePlainString}. */
  private byte[] lineBytes;

  private int lineOffset;
  private int lineEnd;

  StagedLineEncoder(JsonFactory factory) {
    this.factory = factory;
  }

  void encode(ValidLine line, OutputStream out) throws IOException {
    lineBytes = line.buffer();
    lineOffset = line.offset();
    lineEnd = line.offset() + line.length();
    try (JsonParser p = factory.createParser(line.buffer(), line.offset(), line.length());
        JsonGenerator g = factory.createGenerator(out)) {
      p.nextToken();
      g.writeStartObject();
      g.writeStringField("key", line.key());
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (name.equals("key")) {
          p.skipChildren();
          continue;
        }
        g.writeFieldName(name);
        if (name.equals("request") && t == START_OBJECT) {
          request(p, g, line.row());
        } else {
          copy(p, g);
        }
      }
      g.writeEndObject();
    }
    out.write('\n');
  }

  private void request(JsonParser p, JsonGenerator g, long row) throws IOException {
    g.writeStartObject();
    boolean labelsWritten = false;
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "contents" -> {
          g.writeFieldName(name);
          if (t == START_ARRAY) {
            g.writeStartArray();
            while (p.nextToken() != JsonToken.END_ARRAY) {
              content(p, g);
            }
            g.writeEndArray();
          } else {
            copy(p, g);
          }
        }
        case "systemInstruction", "system_instruction", "content" -> {
          g.writeFieldName(name);
          content(p, g);
        }
        case "labels" -> {
          if (t == START_OBJECT) {
            g.writeFieldName(name);
            labels(p, g, row);
            labelsWritten = true;
          } else {
            p.skipChildren(); // null: replaced by Batchdrop's labels below
          }
        }
        default -> {
          g.writeFieldName(name);
          copy(p, g);
        }
      }
    }
    if (!labelsWritten) {
      g.writeObjectFieldStart("labels");
      g.writeStringField(RowKeys.ROW_LABEL, RowKeys.rowKey(row));
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private void content(JsonParser p, JsonGenerator g) throws IOException {
    if (p.currentToken() != START_OBJECT) {
      copy(p, g);
      return;
    }
    g.writeStartObject();
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      g.writeFieldName(name);
      if (name.equals("parts") && t == START_OBJECT) {
        g.writeStartArray();
        copy(p, g);
        g.writeEndArray();
      } else {
        copy(p, g);
      }
    }
    g.writeEndObject();
  }

  private void labels(JsonParser p, JsonGenerator g, long row) throws IOException {
    g.writeStartObject();
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals(RowKeys.ROW_LABEL)) {
        p.skipChildren();
        continue;
      }
      g.writeFieldName(name);
      copy(p, g);
    }
    g.writeStringField(RowKeys.ROW_LABEL, RowKeys.rowKey(row));
    g.writeEndObject();
  }

  /** Copies the current value, numbers in their original spelling. */
  private void copy(JsonParser p, JsonGenerator g) throws IOException {
    int depth = 0;
    JsonToken t = p.currentToken();
    while (true) {
      switch (t) {
        case START_OBJECT -> {
          g.writeStartObject();
          depth++;
        }
        case END_OBJECT -> {
          g.writeEndObject();
          depth--;
        }
        case START_ARRAY -> {
          g.writeStartArray();
          depth++;
        }
        case END_ARRAY -> {
          g.writeEndArray();
          depth--;
        }
        case FIELD_NAME -> g.writeFieldName(p.currentName());
        case VALUE_STRING -> {
          if (!writePlainString(p, g)) {
            g.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          }
        }
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
        case VALUE_TRUE -> g.writeBoolean(true);
        case VALUE_FALSE -> g.writeBoolean(false);
        case VALUE_NULL -> g.writeNull();
        default -> throw new IOException("unexpected token " + t + " in a validated line");
      }
      if (depth == 0) {
        return;
      }
      t = p.nextToken();
    }
  }

  /**
   * Writes the current string value as it stands in the line, escapes and all: the same text to a
   * JSON reader, and never longer than the user wrote it (the generator would write each character
   * beyond the BMP as a 12-byte {@code \\uD83D\\uDE00} pair, three times its UTF-8, and a line at
   * the length limit would grow past what readers of the work bucket allow). The line passed the
   * validator: strict UTF-8, no raw control characters, valid escapes. Also saves decoding the text
   * into chars and encoding it back. False, with nothing written, when the value cannot be found in
   * the line.
   */
  private boolean writePlainString(JsonParser p, JsonGenerator g) throws IOException {
    if (!(p instanceof ParserBase base)) {
      return false;
    }
    // The offset after the token's first byte, the opening quote (see LineCursor.column()).
    long quote = base.getTokenCharacterOffset() - 1;
    int from = (int) Math.min(Integer.MAX_VALUE, lineOffset + quote + 1);
    if (quote < 0 || from > lineEnd || lineBytes[from - 1] != '"') {
      return false;
    }
    int end = PlainStrings.literalEnd(lineBytes, from, lineEnd);
    if (end < 0) {
      return false;
    }
    g.writeRawUTF8String(lineBytes, from, end - from);
    return true;
  }
}
