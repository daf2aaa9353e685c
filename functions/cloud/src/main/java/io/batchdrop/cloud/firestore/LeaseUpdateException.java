package io.batchdrop.cloud.firestore;

/**
 * Firestore did not confirm an owner-checked update in time: transient, the delivery is retried.
 */
public final class LeaseUpdateException extends RuntimeException {
  public LeaseUpdateException(String path, Throwable cause) {
    super("cannot update " + path + ": " + cause.getCause(), cause);
  }
}
