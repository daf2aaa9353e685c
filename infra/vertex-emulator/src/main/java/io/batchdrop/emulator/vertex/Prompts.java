package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Reads the parts of a {@code GenerateContentRequest} given as JSON (camelCase or snake_case). */
final class Prompts {

  private Prompts() {}

  /** A content's parts; a bare part object (accepted by Vertex) counts as a one-part list. */
  static Iterable<JsonNode> parts(JsonNode content) {
    JsonNode parts = content.path("parts");
    return parts.isObject() ? List.of(parts) : parts;
  }

  /** The text of the last turn whose role is user (or absent), text parts joined by newlines. */
  static String lastUserText(JsonNode request) {
    JsonNode lastUser = null;
    for (JsonNode content : request.path("contents")) {
      String role = content.path("role").asText("user");
      if (role.isEmpty() || role.equals("user")) {
        lastUser = content;
      }
    }
    if (lastUser == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts(lastUser)) {
      if (part.has("text")) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** Characters of text and number of media parts over the contents and the system instruction. */
  static PromptSize size(JsonNode request) {
    long chars = 0;
    int media = 0;
    JsonNode system = member(request, "systemInstruction", "system_instruction");
    for (JsonNode content : concat(request.path("contents"), system)) {
      for (JsonNode part : parts(content)) {
        if (part.has("text")) {
          chars += part.path("text").asText().length();
        } else {
          media++;
        }
      }
    }
    return new PromptSize(chars, media);
  }

  /** A member spelled in camelCase or snake_case (Vertex accepts both); missing node if neither. */
  static JsonNode member(JsonNode node, String camelCase, String snakeCase) {
    return node.has(camelCase) ? node.get(camelCase) : node.path(snakeCase);
  }

  private static List<JsonNode> concat(JsonNode contents, JsonNode system) {
    List<JsonNode> all = new ArrayList<>();
    contents.forEach(all::add);
    if (system.isObject()) {
      all.add(system);
    }
    return all;
  }

  /** How big a prompt is, for token counts. */
  record PromptSize(long textChars, int mediaParts) {}
}
