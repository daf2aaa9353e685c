package io.batchdrop.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what was registered in reverse order, closing everything even when some close fails. */
final class Closer implements AutoCloseable {

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final String failure;

  Closer() {
    this("closing the local cloud failed");
  }

  /**
   * @param failure what the exception thrown when a close fails says
   */
  Closer(String failure) {
    this.failure = failure;
  }

  synchronized <T extends AutoCloseable> T register(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    RuntimeException failed = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (failed == null) {
          failed = new IllegalStateException(failure, e);
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
