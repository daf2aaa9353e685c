package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;

/**
 * Why a row failed, as far as Vertex said: the HTTP-style {@code code} and the canonical {@code
 * status} name when its status string carries them, and a message cut to {@link #MAX_MESSAGE_CHARS}
 * characters.
 *
 * @param code e.g. 400 or 429; null when unknown
 * @param status e.g. {@code INVALID_ARGUMENT}; null when unknown
 * @param message what went wrong, never null
 */
public record RowError(Integer code, String status, String message) {

  /** The longest message kept; longer ones are cut and end with an ellipsis. */
  public static final int MAX_MESSAGE_CHARS = 2000;

  private static final Set<Integer> RETRYABLE_CODES = Set.of(429, 500, 503, 504);
  private static final Set<String> RETRYABLE_STATUSES =
      Set.of("RESOURCE_EXHAUSTED", "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED");
  private static final ObjectMapper JSON = new ObjectMapper(PublishJson.factory());

  public RowError {
    if (message == null) {
      throw new IllegalArgumentException("a row error always has a message");
    }
    message = cut(message);
  }

  /**
   * True when the same request may well succeed if sent again: quota (429, RESOURCE_EXHAUSTED),
   * server errors (500, 503, 504, INTERNAL, UNAVAILABLE) and deadlines (DEADLINE_EXCEEDED).
   */
  public boolean retryable() {
    return (code != null && RETRYABLE_CODES.contains(code))
        || (status != null && RETRYABLE_STATUSES.contains(status));
  }

  /**
   * Parses a Vertex row status string. Vertex writes an HTTP reason phrase and a Google JSON error,
   * {@code Bad Request: {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}};
   * the JSON alone, a bare {@code {code, message, status}} object, and a plain string are accepted
   * too. Without usable JSON, code and status are unknown and the message is the whole string.
   */
  public static RowError parse(String statusText) {
    String text = statusText == null ? "" : statusText.strip();
    int brace = text.indexOf('{');
    if (brace >= 0) {
      JsonNode root = tree(text.substring(brace));
      if (root != null && root.isObject()) {
        JsonNode error = root.path("error").isObject() ? root.get("error") : root;
        Integer code = code(error.get("code"));
        String status = text(error.get("status"));
        String message = text(error.get("message"));
        if (code != null || status != null || message != null) {
          return new RowError(code, status, message != null ? message : text);
        }
      }
    }
    return new RowError(null, null, text.isEmpty() ? "(empty status)" : text);
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static Integer code(JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isInt()) {
      return node.intValue();
    }
    if (node.isTextual() && node.textValue().matches("[0-9]{1,9}")) {
      return Integer.valueOf(node.textValue());
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() && !node.textValue().isBlank()
        ? node.textValue()
        : null;
  }

  private static String cut(String message) {
    if (message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    int end = MAX_MESSAGE_CHARS - 1;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end) + "…";
  }
}
