package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A row-level failure as Vertex writes it in the output's {@code status} string: the HTTP reason
 * phrase, then Google's JSON error body, e.g. {@code Bad Request: {"error": {"code": 400,
 * "message": "...", "status": "INVALID_ARGUMENT"}}}.
 */
record RowError(int httpCode, String reason, String grpcStatus, String message) {

  static RowError badRequest(String message) {
    return new RowError(400, "Bad Request", "INVALID_ARGUMENT", message);
  }

  static RowError tooManyRequests() {
    return new RowError(
        429,
        "Too Many Requests",
        "RESOURCE_EXHAUSTED",
        "Resource exhausted. Please try again later.");
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
