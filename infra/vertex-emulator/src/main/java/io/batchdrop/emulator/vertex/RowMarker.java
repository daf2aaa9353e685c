package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-row behaviour chosen by a marker anywhere in the text of a request's {@code contents}, e.g.
 * {@code {"request":{"contents":[{"role":"user","parts":[{"text":"hi [vertex:fail-429]"}]}]}}}.
 */
enum RowMarker {
  /** The row fails with a permanent error: {@code Bad Request: {"error": {"code": 400, ...}}}. */
  FAIL_400("[vertex:fail-400]"),
  /** The row fails with a retryable quota error (429, RESOURCE_EXHAUSTED). */
  FAIL_429("[vertex:fail-429]"),
  /** The row fails with a retryable server error (500, INTERNAL). */
  FAIL_500("[vertex:fail-500]"),
  /** The row is never written to the output; it counts as incomplete. */
  MISSING("[vertex:missing]"),
  /** The importer rejects the file: the whole job FAILS with code 3 and writes nothing. */
  IMPORT_ERROR("[vertex:import-error]"),
  /**
   * The prompt is blocked: a response with no candidates and {@code promptFeedback.blockReason}.
   */
  BLOCKED("[vertex:blocked]"),
  /** The answer stops with {@code finishReason} MAX_TOKENS. */
  MAX_TOKENS("[vertex:max-tokens]"),
  /** The response carries no {@code usageMetadata}, as Vertex sometimes does. */
  NO_USAGE("[vertex:no-usage]");

  private final String text;

  RowMarker(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The markers in every text part of {@code request.contents}. */
  static Set<RowMarker> in(JsonNode request) {
    Set<RowMarker> found = EnumSet.noneOf(RowMarker.class);
    for (JsonNode content : request.path("contents")) {
      for (JsonNode part : Prompts.parts(content)) {
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
