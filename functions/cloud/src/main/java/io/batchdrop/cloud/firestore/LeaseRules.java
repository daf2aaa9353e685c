package io.batchdrop.cloud.firestore;

import java.time.Instant;

/** Who gets a leased document: the rules of {@link DocumentLease}, apart from Firestore. */
final class LeaseRules {
  private LeaseRules() {}

  /**
   * @param done the work the lease guards is finished
   * @param holder the recorded owner, null when nobody ever held the lease
   * @param expiresAt the recorded expiry, null when none
   */
  static LeaseClaim.Outcome decide(
      boolean done, String holder, Instant expiresAt, String owner, Instant now) {
    if (done) {
      return LeaseClaim.Outcome.DONE;
    }
    if (owner.equals(holder)) {
      return LeaseClaim.Outcome.CLAIMED;
    }
    if (holder != null && expiresAt != null && expiresAt.isAfter(now)) {
      return LeaseClaim.Outcome.BUSY;
    }
    return holder == null ? LeaseClaim.Outcome.CLAIMED : LeaseClaim.Outcome.TAKEN_OVER;
  }
}
