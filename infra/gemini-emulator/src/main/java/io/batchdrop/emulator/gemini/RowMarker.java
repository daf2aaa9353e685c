package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-row behaviour chosen by a marker in the text of a request's {@code contents}: the same
 * markers as the Vertex emulator, so one file behaves alike on both backends.
 */
enum RowMarker {
  /** The row fails with 400 INVALID_ARGUMENT. */
  FAIL_400("[vertex:fail-400]"),
  /** The row fails with 429 RESOURCE_EXHAUSTED in every batch. */
  FAIL_429("[vertex:fail-429]"),
  /** The row fails with 429 only in a first attempt (display name ending in {@code -a1}). */
  FAIL_429_ONCE("[vertex:fail-429-once]"),
  /** The row fails with 500 INTERNAL. */
  FAIL_500("[vertex:fail-500]"),
  /** The row has no line in the responses file. */
  MISSING("[vertex:missing]"),
  /** The row has no line in a first attempt's responses file only. */
  MISSING_ONCE("[vertex:missing-once]"),
  /** The create is refused: the file has a line the service will not take. */
  IMPORT_ERROR("[vertex:import-error]"),
  /** The prompt is blocked: no candidates, {@code promptFeedback.blockReason}. */
  BLOCKED("[vertex:blocked]"),
  /** The answer stops with {@code finishReason} MAX_TOKENS. */
  MAX_TOKENS("[vertex:max-tokens]");

  private final String text;

  RowMarker(String text) {
    this.text = text;
  }

  /** The markers in a generate request's {@code contents} or an embed request's {@code content}. */
  static Set<RowMarker> in(JsonNode request) {
    Set<RowMarker> found = EnumSet.noneOf(RowMarker.class);
    java.util.List<JsonNode> contents = new java.util.ArrayList<>();
    request.path("contents").forEach(contents::add);
    if (request.path("content").isObject()) {
      contents.add(request.get("content"));
    }
    for (JsonNode content : contents) {
      JsonNode parts = content.path("parts");
      for (JsonNode part : parts.isObject() ? java.util.List.of(parts) : parts) {
        String text = part.path("text").asText("");
        if (text.contains("[vertex:")) {
          for (RowMarker marker : values()) {
            if (text.contains(marker.text)) {
              found.add(marker);
            }
          }
        }
      }
    }
    return found;
  }
}
