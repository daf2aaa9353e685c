package io.batchdrop.submit;

import com.google.cloud.firestore.DocumentSnapshot;

/** What claiming {@code runs/{runId}} found, and the run document as it stood when claimed. */
record RunClaim(Outcome outcome, DocumentSnapshot run) {
  enum Outcome {
    /** This invocation created the run: start from the beginning. */
    CLAIMED,
    /** The run's earlier owner let its lease expire midway: finish from where it stands. */
    TAKEN_OVER,
    /** Submit already finished this run: a duplicate event, nothing to do. */
    DONE,
    /** Another invocation holds a live lease and is working on it right now. */
    BUSY
  }
}
