package io.batchdrop.staging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.validation.Finding;
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
 * Writes one {@code invalid.jsonl} line per rejected row: its row, key and findings, and the line
 * itself as a string ({@code line}), as base64 when it is not UTF-8 ({@code line_base64}), or
 * only its size ({@code bytes}) when it was too long to hold.
 */
final class InvalidLineWriter {
  private final JsonFactory json;
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);

  InvalidLineWriter(JsonFactory json) {
    this.json = json;
  }

  void write(InvalidLine line, OutputStream target) throws IOException {
    JsonGenerator out = json.createGenerator(target);
    out.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    out.writeStartObject();
    out.writeNumberField("row", line.row());
    out.writeStringField("key", line.key());
    out.writeArrayFieldStart("findings");
    for (Finding finding : line.findings()) {
      out.writeStartObject();
      out.writeNumberField("line", finding.line());
      out.writeNumberField("column", finding.column());
      out.writeStringField("code", finding.code());
      out.writeStringField("path", finding.path());
      out.writeStringField("message", finding.message());
      out.writeStringField("severity", finding.severity().label());
      out.writeEndObject();
    }
    out.writeEndArray();
    if (line.raw() == null) {
      out.writeNumberField("bytes", line.rawLength());
    } else {
      try {
        out.writeStringField("line", utf8.decode(ByteBuffer.wrap(line.raw())).toString());
      } catch (CharacterCodingException notUtf8) {
        out.writeStringField("line_base64", Base64.getEncoder().encodeToString(line.raw()));
      }
    }
    out.writeEndObject();
    out.close();
    target.write('\n');
  }
}
