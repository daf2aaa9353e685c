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
  /** The row fails with a retryable quota error (429, RESOURCE_EXHAUSTED) in every job. */
  FAIL_429("[vertex:fail-429]"),
  /**
   * The row fails with a 429 only in a first attempt (a job whose id ends in {@code -a1}) and
   * succeeds in every later one: a quota error that a retry cures.
   */
  FAIL_429_ONCE("[vertex:fail-429-once]"),
  /** The row fails with a retryable server error (500, INTERNAL). */
  FAIL_500("[vertex:fail-500]"),
  /** The row is never written to the output; it counts as incomplete. */
  MISSING("[vertex:missing]"),
  /** The row is left out of a first attempt's output (job id ending in {@code -a1}) only. */
  MISSING_ONCE("[vertex:missing-once]"),
  /** The importer rejects the file: the whole job FAILS with code 3 and writes nothing. */
  IMPORT_ERROR("[vertex:import-error]"),
  /**
   * The prompt is blocked: a response with no candidates and {@code promptFeedback.blockReason}.
   */
  BLOCKED("[vertex:blocked]"),
  /** The answer stops with {@code finishReason} MAX_TOKENS. */
  MAX_TOKENS("[vertex:max-tokens]"),
  /** The response carries no {@code usageMetadata}, as Vertex sometimes does. */
  NO_USAGE("[vertex:no-usage]"),
  /**
   * The answer is huge: {@link VertexKnobs#hugeResponseChars(int)} characters of text (32 MiB by
   * default), streamed into the output without ever being held as one string.
   */
  HUGE_RESPONSE("[vertex:huge-response]"),
  /**
   * The answer carries an image, as image generation models return one: a text part and an {@code
   * inlineData} part with a base64 PNG.
   */
  IMAGE("[vertex:image]");

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
