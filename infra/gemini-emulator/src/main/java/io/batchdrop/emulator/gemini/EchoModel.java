package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The deterministic "model", as in the Vertex emulator: it answers {@code "echo: " + <text of the
 * last user turn>}; tokens are ceil(characters / 4). Embeddings are unit vectors derived from the
 * text, the same text giving the same vector.
 */
final class EchoModel {

  static final String PREFIX = "echo: ";
  static final int DEFAULT_EMBEDDING_DIMENSIONS = 3072;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private EchoModel() {}

  /** A {@code GenerateContentResponse} in the Gemini API's REST JSON. */
  static ObjectNode generate(JsonNode request, String modelId, Set<RowMarker> markers) {
    long promptTokens = Math.max(1, tokens(allText(request).length()));
    ObjectNode response = JSON.objectNode();
    long answerTokens = 0;
    if (markers.contains(RowMarker.BLOCKED)) {
      response.putObject("promptFeedback").put("blockReason", "SAFETY");
    } else {
      String text = PREFIX + lastUserText(request);
      answerTokens = Math.max(1, tokens(text.length()));
      ObjectNode candidate = response.putArray("candidates").addObject();
      ObjectNode content = candidate.putObject("content");
      content.putArray("parts").addObject().put("text", text);
      content.put("role", "model");
      candidate.put("finishReason", markers.contains(RowMarker.MAX_TOKENS) ? "MAX_TOKENS" : "STOP");
      candidate.put("index", 0);
    }
    ObjectNode usage = response.putObject("usageMetadata");
    usage.put("promptTokenCount", promptTokens);
    if (answerTokens > 0) {
      usage.put("candidatesTokenCount", answerTokens);
    }
    usage.put("totalTokenCount", promptTokens + answerTokens);
    usage
        .putArray("promptTokensDetails")
        .addObject()
        .put("modality", "TEXT")
        .put("tokenCount", promptTokens);
    response.put("modelVersion", modelId);
    response.put("responseId", Integer.toHexString(request.toString().hashCode()));
    return response;
  }

  /** An {@code EmbedContentResponse}: {@code {"embedding": {"values": [...]}}}. */
  static ObjectNode embed(JsonNode request) {
    // Proto JSON takes either spelling.
    JsonNode dimensions =
        request.has("outputDimensionality")
            ? request.path("outputDimensionality")
            : request.path("output_dimensionality");
    int size =
        dimensions.canConvertToInt() && dimensions.asInt() > 0
            ? dimensions.asInt()
            : DEFAULT_EMBEDDING_DIMENSIONS;
    String text = textOf(request.path("content"));
    double[] values = new double[size];
    long seed = 1125899906842597L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      seed = 31 * seed + b;
    }
    java.util.Random random = new java.util.Random(seed);
    double norm = 0;
    for (int i = 0; i < size; i++) {
      values[i] = random.nextGaussian();
      norm += values[i] * values[i];
    }
    norm = Math.sqrt(norm);
    ObjectNode response = JSON.objectNode();
    ArrayNode vector = response.putObject("embedding").putArray("values");
    for (double value : values) {
      vector.add((float) (value / norm));
    }
    return response;
  }

  static String lastUserText(JsonNode request) {
    JsonNode lastUser = null;
    for (JsonNode content : request.path("contents")) {
      String role = content.path("role").asText("user");
      if (role.isEmpty() || role.equals("user")) {
        lastUser = content;
      }
    }
    return lastUser == null ? "" : textOf(lastUser);
  }

  private static String allText(JsonNode request) {
    StringBuilder text = new StringBuilder(textOf(request.path("systemInstruction")));
    for (JsonNode content : request.path("contents")) {
      text.append(textOf(content));
    }
    return text.toString();
  }

  private static String textOf(JsonNode content) {
    JsonNode parts = content.path("parts");
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts.isObject() ? java.util.List.of(parts) : parts) {
      if (part.has("text")) {
        if (text.length() > 0) {
          text.append('\n');
        }
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static long tokens(long chars) {
    return (chars + 3) / 4;
  }
}
