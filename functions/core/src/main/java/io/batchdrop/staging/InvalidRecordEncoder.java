package io.batchdrop.staging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.validation.Finding;
import io.batchdrop.validation.FindingJson;
import io.batchdrop.validation.InvalidLine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One line of {@code invalid.jsonl}: {@code {"row", "key", "findings": [...], "line"}}, where the
 * raw line is {@code "line"} (a JSON string) when it is UTF-8, {@code "line_base64"} when it is
 * not, and only its length {@code "bytes"} when it was too long to keep.
 */
final class InvalidRecordEncoder {

  private final JsonFactory factory;

  InvalidRecordEncoder(JsonFactory factory) {
    this.factory = factory;
  }

  void encode(InvalidLine line, OutputStream out) throws IOException {
    try (JsonGenerator g = factory.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("row", line.row());
      g.writeStringField("key", line.key());
      g.writeArrayFieldStart("findings");
      for (Finding f : line.findings()) {
        FindingJson.write(f, g);
      }
      g.writeEndArray();
      byte[] raw = line.raw();
      if (raw == null) {
        g.writeNumberField("bytes", line.rawLength());
      } else {
        String text = utf8OrNull(raw);
        if (text != null) {
          g.writeStringField("line", text);
        } else {
          g.writeStringField("line_base64", Base64.getEncoder().encodeToString(raw));
        }
      }
      g.writeEndObject();
    }
    out.write('\n');
  }

  private static String utf8OrNull(byte[] raw) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return decoder.decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
