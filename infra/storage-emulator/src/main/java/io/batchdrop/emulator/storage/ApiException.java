package io.batchdrop.emulator.storage;

/** A request the JSON API refuses, carrying the HTTP status and Google's error reason. */
final class ApiException extends RuntimeException {
  private final int status;
  private final String reason;

  ApiException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }

  static ApiException invalid(String message) {
    return new ApiException(400, "invalid", message);
  }

  static ApiException bucketNotFound(String bucket) {
    return new ApiException(404, "notFound", "The specified bucket does not exist: " + bucket);
  }

  static ApiException objectNotFound(ObjectKey key) {
    return new ApiException(404, "notFound", "No such object: " + key);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, "notFound", message);
  }

  /** Something real Cloud Storage does that this emulator does not; the message names it. */
  static ApiException notImplemented(String message) {
    return new ApiException(501, "notImplemented", message);
  }

  static ApiException conflict(String message) {
    return new ApiException(409, "conflict", message);
  }

  static ApiException preconditionFailed(String message) {
    return new ApiException(412, "conditionNotMet", message);
  }

  static ApiException notModified(String message) {
    return new ApiException(304, "notModified", message);
  }

  static ApiException rangeNotSatisfiable(String message) {
    return new ApiException(416, "requestedRangeNotSatisfiable", message);
  }
}
