package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The deterministic "model": it answers {@code "echo: " + <text of the last user turn>}, so a test
 * can tell which answer belongs to which prompt. Token counts are plausible, not real:
 * ceil(characters / 4) for text, 258 per media part (Gemini's cost of an image).
 */
final class EchoModel {

  static final String PREFIX = "echo: ";
  private static final int CHARS_PER_TOKEN = 4;
  private static final int TOKENS_PER_MEDIA_PART = 258;

  private final JsonNodeFactory json = JsonNodeFactory.instance;

  /**
   * The {@code response} member of an output row for a request that succeeds; {@code hugeChars} is
   * the length of a {@link RowMarker#HUGE_RESPONSE} answer.
   */
  ObjectNode respond(JsonNode request, String modelId, Set<RowMarker> markers, int hugeChars) {
    Prompts.PromptSize size = Prompts.size(request);
    long promptTokens =
        Math.max(1, tokens(size.textChars()) + (long) size.mediaParts() * TOKENS_PER_MEDIA_PART);
    ObjectNode response = json.objectNode();
    long answerTokens = 0;
    long imageTokens = 0;
    if (markers.contains(RowMarker.BLOCKED)) {
      response.putArray("candidates");
      response
          .putObject("promptFeedback")
          .put("blockReason", "SAFETY")
          .put("blockReasonMessage", "The prompt was blocked for safety reasons.");
    } else {
      String text = PREFIX + Prompts.lastUserText(request);
      String finishReason = "STOP";
      JsonNode config = Prompts.member(request, "generationConfig", "generation_config");
      long limit = Prompts.member(config, "maxOutputTokens", "max_output_tokens").asLong(0);
      if (limit > 0 && tokens(text.length()) > limit) {
        text = text.substring(0, (int) Math.min(text.length(), limit * CHARS_PER_TOKEN));
        finishReason = "MAX_TOKENS";
      }
      if (markers.contains(RowMarker.MAX_TOKENS)) {
        finishReason = "MAX_TOKENS";
      }
      ObjectNode candidate = response.putArray("candidates").addObject();
      ObjectNode content = candidate.putObject("content");
      content.put("role", "model");
      ArrayNode parts = content.putArray("parts");
      if (markers.contains(RowMarker.HUGE_RESPONSE)) {
        GeneratedText huge = new GeneratedText(text, Math.max(hugeChars, text.length()));
        parts.addObject().putPOJO("text", huge);
        answerTokens = tokens(huge.length());
      } else {
        parts.addObject().put("text", text);
        answerTokens = Math.max(1, tokens(text.length()));
      }
      if (markers.contains(RowMarker.IMAGE)) {
        parts
            .addObject()
            .putObject("inlineData")
            .put("mimeType", GeneratedImage.MIME_TYPE)
            .put("data", GeneratedImage.base64Png(text));
        imageTokens = GeneratedImage.TOKENS;
      }
      candidate.put("finishReason", finishReason);
      candidate.put("avgLogprobs", -0.1);
    }
    if (!markers.contains(RowMarker.NO_USAGE)) {
      ObjectNode usage = response.putObject("usageMetadata");
      usage.put("promptTokenCount", promptTokens);
      if (answerTokens > 0) {
        usage.put("candidatesTokenCount", answerTokens + imageTokens);
      }
      usage.put("totalTokenCount", promptTokens + answerTokens + imageTokens);
      if (imageTokens > 0) {
        ArrayNode details = usage.putArray("candidatesTokensDetails");
        details.addObject().put("modality", "TEXT").put("tokenCount", answerTokens);
        details.addObject().put("modality", "IMAGE").put("tokenCount", imageTokens);
      }
    }
    response.put("modelVersion", modelId + "@default");
    return response;
  }

  private static long tokens(long chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
