package io.batchdrop.cloud.jobs;

/**
 * Asked by a {@link BatchBackend} immediately before it sends the request that makes a job, after
 * whatever it must do first (the Gemini API's upload and wait for the file, which can take longer
 * than a create claim): a caller whose claim ran out meanwhile must not send it, because the next
 * claimant may already have created the job.
 */
@FunctionalInterface
public interface CreateGate {
  /** True while the caller may send the create: its claim held, one call deadline of it left. */
  boolean open() throws InterruptedException;

  /**
   * Returns when the create may be sent.
   *
   * @throws Closed when it may not; nothing was sent
   */
  default void pass() throws InterruptedException {
    if (!open()) {
      throw new Closed();
    }
  }

  /** The claim ran out before the create call; the job was not created by this caller. */
  final class Closed extends RuntimeException {
    public Closed() {
      super("the create claim ran out before the create call", null, false, false);
    }
  }
}
