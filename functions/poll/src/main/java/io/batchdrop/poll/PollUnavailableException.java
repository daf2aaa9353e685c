package io.batchdrop.poll;

/** The call could do nothing: Firestore did not answer the selection. */
final class PollUnavailableException extends Exception {
  PollUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
