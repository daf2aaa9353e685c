package io.batchdrop.cloud.gemini;

import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.api.gax.rpc.StatusCode.Code;
import io.grpc.Status;

/**
 * The Gemini API's HTTP answers in the gax vocabulary {@code JobCreator} and {@code poll} decide
 * on: what may hide a created batch (5xx, a lost connection) is UNAVAILABLE or INTERNAL, what
 * certainly did not create one (429, 401) is RESOURCE_EXHAUSTED or UNAUTHENTICATED, the rest is a
 * refusal. A key the service does not accept is answered 400 INVALID_ARGUMENT with the reason
 * {@code API_KEY_INVALID}: that is UNAUTHENTICATED here, a deployment's problem an operator fixes
 * by putting the right key in the secret, never a refusal of the rows. Messages never carry the API
 * key: the SDK's and the service's errors do not contain it, and the raw calls here put it only in
 * a header.
 */
final class GeminiErrors {
  private GeminiErrors() {}

  static Code codeOf(int http) {
    return switch (http) {
      case 400 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 403 -> Code.PERMISSION_DENIED;
      case 404 -> Code.NOT_FOUND;
      case 408, 504 -> Code.DEADLINE_EXCEEDED;
      case 409 -> Code.ABORTED;
      case 429 -> Code.RESOURCE_EXHAUSTED;
      case 500 -> Code.INTERNAL;
      case 501 -> Code.UNIMPLEMENTED;
      case 502, 503 -> Code.UNAVAILABLE;
      default -> http >= 500 ? Code.UNKNOWN : Code.FAILED_PRECONDITION;
    };
  }

  static ApiException of(int http, String message, Throwable cause) {
    return of(
        keyRefused(http, message) ? Code.UNAUTHENTICATED : codeOf(http),
        "HTTP " + http + ": " + message,
        cause);
  }

  /**
   * A 400 that says the API key is not valid: the raw answer carries the reason {@code
   * API_KEY_INVALID}, the SDK's message only the service's sentence.
   */
  static boolean keyRefused(int http, String message) {
    return http == 400
        && message != null
        && (message.contains("API_KEY_INVALID") || message.contains("API key not valid"));
  }

  static ApiException of(Code code, String message, Throwable cause) {
    boolean retryable =
        code == Code.UNAVAILABLE || code == Code.RESOURCE_EXHAUSTED || code == Code.INTERNAL;
    return ApiExceptionFactory.createException(
        message, cause, GrpcStatusCode.of(Status.Code.valueOf(code.name())), retryable);
  }

  /** Whatever the SDK threw, as a gax exception. */
  static ApiException fromSdk(RuntimeException e) {
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof com.google.genai.errors.ApiException sdk) {
      return of(sdk.code(), sdk.status() + " " + sdk.message(), e);
    }
    // The SDK wraps I/O failures (a reset connection, a timeout) in unchecked exceptions: the
    // call may have reached the service.
    return of(Code.UNAVAILABLE, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
  }
}
