package io.batchdrop.cloud.firestore;

/**
 * Another invocation took the lease over (this one stalled past its expiry): stop without touching
 * the document again; the new owner carries on.
 */
public final class LeaseLostException extends RuntimeException {
  public LeaseLostException(String path) {
    super("the lease on " + path + " was taken over by another invocation");
  }
}
