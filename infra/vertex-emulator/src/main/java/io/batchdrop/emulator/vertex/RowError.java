package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A row-level failure as Vertex writes it in the output's {@code status} string: a prefix (the HTTP
 * reason phrase, or for quota errors the gRPC status), then Google's JSON error body, e.g. {@code
 * Bad Request: {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}}.
 */
record RowError(int httpCode, String reason, String grpcStatus, String message) {

  static RowError badRequest(String message) {
    return new RowError(400, "Bad Request", "INVALID_ARGUMENT", message);
  }

  /**
   * Vertex's words for a Gemini batch row over quota, as a user saw them in a job's output
   * (googleapis/python-aiplatform#4485): the prefix is the gRPC status, not the HTTP reason.
   */
  static RowError resourceExhausted(String modelId) {
    return new RowError(
        429,
        "RESOURCE_EXHAUSTED error occurred",
        "RESOURCE_EXHAUSTED",
        "Online prediction request quota exceeded for "
            + modelId
            + ". Please try again later with backoff.");
  }

  static RowError internal() {
    return new RowError(500, "Internal Server Error", "INTERNAL", "Internal error encountered.");
  }

  String statusText() {
    String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(message));
    return reason
        + ": {\"error\": {\"code\": "
        + httpCode
        + ", \"message\": \""
        + quoted
        + "\", \"status\": \""
        + grpcStatus
        + "\"}}";
  }
}
