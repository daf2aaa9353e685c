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

  /**
   * google.rpc.Code by number (1 to 16): its name and the HTTP status Google maps it to
   * (google/rpc/code.proto). No HTTP status is below 100, so the two never overlap.
   */
  private static final String[][] GRPC = {
    null,
    {"CANCELLED", "499"},
    {"UNKNOWN", "500"},
    {"INVALID_ARGUMENT", "400"},
    {"DEADLINE_EXCEEDED", "504"},
    {"NOT_FOUND", "404"},
    {"ALREADY_EXISTS", "409"},
    {"PERMISSION_DENIED", "403"},
    {"RESOURCE_EXHAUSTED", "429"},
    {"FAILED_PRECONDITION", "400"},
    {"ABORTED", "409"},
    {"OUT_OF_RANGE", "400"},
    {"UNIMPLEMENTED", "501"},
    {"INTERNAL", "500"},
    {"UNAVAILABLE", "503"},
    {"DATA_LOSS", "500"},
    {"UNAUTHENTICATED", "401"},
  };

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
   * too. A {@code google.rpc.Status} ({@code {code, message}} with a google.rpc.Code from 1 to 16,
   * what a Gemini API line's {@code error} is) is read as that code's HTTP status and name, so a
   * RESOURCE_EXHAUSTED row is retried on either backend. Without usable JSON, code and status are
   * unknown and the message is the whole string.
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
        if (status == null && code != null && code >= 1 && code < GRPC.length) {
          // A google.rpc.Status (the Gemini API's line error): a google.rpc.Code, not an HTTP
          // status; given as the HTTP status and the name Vertex's rows carry.
          status = GRPC[code][0];
          code = Integer.valueOf(GRPC[code][1]);
        }
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
