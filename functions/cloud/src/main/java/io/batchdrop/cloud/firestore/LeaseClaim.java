package io.batchdrop.cloud.firestore;

import com.google.cloud.firestore.DocumentSnapshot;

/** What claiming a leased document found, and the document as it stood when claimed. */
public record LeaseClaim(Outcome outcome, DocumentSnapshot document) {
  public enum Outcome {
    /** This invocation created the document or found it unowned: start from what it records. */
    CLAIMED,
    /** The earlier owner let its lease expire midway: finish from where the document stands. */
    TAKEN_OVER,
    /** The work the lease guards is finished: a duplicate delivery, nothing to do. */
    DONE,
    /** Another invocation holds a live lease and is working on it right now. */
    BUSY,
    /** The document does not exist (only {@link DocumentLease#acquire} reports it). */
    GONE
  }

  public boolean owned() {
    return outcome == Outcome.CLAIMED || outcome == Outcome.TAKEN_OVER;
  }
}
