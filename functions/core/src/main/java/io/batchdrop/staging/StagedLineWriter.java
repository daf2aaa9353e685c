package io.batchdrop.staging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Re-serializes one valid line in its staged form: {@code parts} always arrays, a top-level
 * {@code key} (the user's, or {@code row-N}), and {@code request.labels.batchdrop_row = row-N}
 * beside the user's own labels. The label always carries the row number: label values must be
 * lowercase and short, and publish needs the row back from Vertex's shuffled output.
 */
final class StagedLineWriter {
  static final String ROW_LABEL = "batchdrop_row";

  private final JsonFactory json;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(8192);

  StagedLineWriter(JsonFactory json) {
    this.json = json;
  }

  /** The staged line, without its terminator; valid until the next call. */
  ByteArrayOutputStream write(byte[] line, int offset, int length, String key, long row)
      throws IOException {
    buffer.reset();
    try (JsonParser in = json.createParser(line, offset, length);
         JsonGenerator out = json.createGenerator(buffer)) {
      in.nextToken();
      out.writeStartObject();
      boolean keyWritten = false;
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        in.nextToken();
        if (name.equals("key")) {
          out.writeStringField("key", key);
          keyWritten = true;
        } else if (name.equals("request")) {
          out.writeFieldName(name);
          copyRequest(in, out, row);
        } else {
          out.writeFieldName(name);
          out.copyCurrentStructure(in);
        }
      }
      if (!keyWritten) {
        out.writeStringField("key", key);
      }
      out.writeEndObject();
    }
    return buffer;
  }

  private static void copyRequest(JsonParser in, JsonGenerator out, long row) throws IOException {
    out.writeStartObject();
    boolean labelsWritten = false;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      in.nextToken();
      out.writeFieldName(name);
      switch (name) {
        case "contents" -> copyContents(in, out);
        case "systemInstruction", "system_instruction" -> copyContent(in, out);
        case "labels" -> {
          copyLabels(in, out, row);
          labelsWritten = true;
        }
        default -> out.copyCurrentStructure(in);
      }
    }
    if (!labelsWritten) {
      out.writeObjectFieldStart("labels");
      out.writeStringField(ROW_LABEL, "row-" + row);
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  private static void copyContents(JsonParser in, JsonGenerator out) throws IOException {
    out.writeStartArray();
    while (in.nextToken() != JsonToken.END_ARRAY) {
      copyContent(in, out);
    }
    out.writeEndArray();
  }

  private static void copyContent(JsonParser in, JsonGenerator out) throws IOException {
    out.writeStartObject();
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      in.nextToken();
      out.writeFieldName(name);
      if (name.equals("parts") && in.currentToken() == JsonToken.START_OBJECT) {
        out.writeStartArray(); // a bare part object, normalized (the validator warned)
        out.copyCurrentStructure(in);
        out.writeEndArray();
      } else {
        out.copyCurrentStructure(in);
      }
    }
    out.writeEndObject();
  }

  private static void copyLabels(JsonParser in, JsonGenerator out, long row) throws IOException {
    out.writeStartObject();
    if (in.currentToken() == JsonToken.START_OBJECT) {
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        in.nextToken();
        if (name.equals(ROW_LABEL)) {
          in.skipChildren();
        } else {
          out.writeFieldName(name);
          out.copyCurrentStructure(in);
        }
      }
    }
    out.writeStringField(ROW_LABEL, "row-" + row);
    out.writeEndObject();
  }
}
