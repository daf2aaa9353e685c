package io.batchdrop.submit;

/** The event cannot be understood; retrying it would fail the same way forever. */
final class MalformedEventException extends Exception {
  MalformedEventException(String message) {
    super(message);
  }

  MalformedEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
