package io.batchdrop.cloud.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchdrop.validation.RowKeys;
import java.io.IOException;

/**
 * Rewrites one staged line into the Gemini API's input shape. The staged shard stays the one format
 * every backend and {@code publish} read ({@code key} = the user's key or {@code row-N}, {@code
 * request.labels.batchdrop_row} = {@code row-N}); the Gemini API echoes only {@code key} and has no
 * {@code labels}, so its copy carries {@code key = row-N} and the request without any labels, and
 * without the {@code displayName} of media parts, which it has neither (design §2). The user's key
 * comes back from the staged shard when {@code publish} reads the results.
 */
final class GeminiLines {
  private final ObjectMapper json = new ObjectMapper();

  /** The Gemini line for a staged line (without its LF). */
  byte[] rewrite(byte[] staged, long lineStart) throws IOException {
    JsonNode line = json.readTree(staged);
    if (line == null || !line.isObject() || !line.path("request").isObject()) {
      throw new IOException("the staged line at byte " + lineStart + " is not {request: {...}}");
    }
    ObjectNode request = (ObjectNode) line.get("request");
    JsonNode labels = request.get("labels");
    String row = labels == null ? null : labels.path(RowKeys.ROW_LABEL).textValue();
    if (row == null || RowKeys.parseRow(row) < 1) {
      throw new IOException(
          "the staged line at byte " + lineStart + " has no " + RowKeys.ROW_LABEL + " label");
    }
    // The Gemini API has no labels (the SDK refuses them there), ours or the user's, nor a media
    // part's displayName: the validator warned of both (field-dropped-on-backend).
    request.remove("labels");
    for (String content : new String[] {"systemInstruction", "system_instruction", "content"}) {
      withoutDisplayNames(request.get(content));
    }
    for (JsonNode content : request.path("contents")) {
      withoutDisplayNames(content);
    }
    ObjectNode out = json.createObjectNode();
    out.put("key", row);
    out.set("request", request);
    return json.writeValueAsBytes(out);
  }

  private static void withoutDisplayNames(JsonNode content) {
    if (content == null) {
      return;
    }
    JsonNode parts = content.path("parts");
    for (JsonNode part : parts.isObject() ? java.util.List.of(parts) : parts) {
      for (String media : new String[] {"fileData", "file_data", "inlineData", "inline_data"}) {
        if (part.get(media) instanceof ObjectNode blob) {
          blob.remove("displayName");
          blob.remove("display_name");
        }
      }
    }
  }
}
