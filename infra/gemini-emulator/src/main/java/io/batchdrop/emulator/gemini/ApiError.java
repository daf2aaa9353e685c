package io.batchdrop.emulator.gemini;

import java.util.Optional;

/**
 * A request the API refuses: HTTP code, the google.rpc status name, the message and, for key
 * errors, the {@code ErrorInfo} reason the real API adds.
 */
final class ApiError extends RuntimeException {

  private final int httpCode;
  private final String status;
  private final Optional<String> reason;

  ApiError(int httpCode, String status, String message, Optional<String> reason) {
    super(message);
    this.httpCode = httpCode;
    this.status = status;
    this.reason = reason;
  }

  int httpCode() {
    return httpCode;
  }

  String status() {
    return status;
  }

  Optional<String> reason() {
    return reason;
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_ARGUMENT", message, Optional.empty());
  }

  static ApiError notFound() {
    return new ApiError(404, "NOT_FOUND", "Requested entity was not found.", Optional.empty());
  }

  /**
   * How the real Files API answers a file that does not exist (never uploaded, deleted, expired):
   * 403, not 404, with this message (python-genai #1218, generative-ai-python #692).
   */
  static ApiError noSuchFile(String id) {
    return new ApiError(
        403,
        "PERMISSION_DENIED",
        "You do not have permission to access the File " + id + " or it may not exist.",
        Optional.empty());
  }

  static ApiError failedPrecondition(String message) {
    return new ApiError(400, "FAILED_PRECONDITION", message, Optional.empty());
  }

  /** What the real API answers a key it does not know (400, not 401). */
  static ApiError keyInvalid() {
    return new ApiError(
        400,
        "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
        Optional.of("API_KEY_INVALID"));
  }

  /** What the real API answers a call with no key at all. */
  static ApiError keyMissing() {
    return new ApiError(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity)."
            + " Please use API Key or other form of API consumer identity to call this API.",
        Optional.empty());
  }

  /** A planned failure (knob) for the given HTTP code. */
  static ApiError planned(int httpCode) {
    return switch (httpCode) {
      case 429 ->
          new ApiError(
              429,
              "RESOURCE_EXHAUSTED",
              "Resource has been exhausted (e.g. check quota).",
              Optional.empty());
      case 500 ->
          new ApiError(
              500,
              "INTERNAL",
              "An internal error has occurred. Please retry or report in"
                  + " https://developers.generativeai.google/guide/troubleshooting",
              Optional.empty());
      case 503 ->
          new ApiError(
              503, "UNAVAILABLE", "The service is currently unavailable.", Optional.empty());
      default -> new ApiError(httpCode, "UNKNOWN", "Planned failure.", Optional.empty());
    };
  }
}
