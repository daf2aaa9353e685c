package io.batchdrop.cloud.firestore;

import static io.batchdrop.cloud.firestore.LeaseClaim.Outcome.BUSY;
import static io.batchdrop.cloud.firestore.LeaseClaim.Outcome.CLAIMED;
import static io.batchdrop.cloud.firestore.LeaseClaim.Outcome.DONE;
import static io.batchdrop.cloud.firestore.LeaseClaim.Outcome.TAKEN_OVER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Who gets a leased document, as a table: the Firestore side is tested with submit and publish. */
class LeaseRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final String ME = "me";

  @Test
  void finishedWorkIsDoneWhoeverHoldsTheLease() {
    assertThat(LeaseRules.decide(true, "other", NOW.plusSeconds(60), ME, NOW)).isEqualTo(DONE);
    assertThat(LeaseRules.decide(true, null, null, ME, NOW)).isEqualTo(DONE);
  }

  @Test
  void aDocumentNobodyEverLeasedIsClaimed() {
    assertThat(LeaseRules.decide(false, null, null, ME, NOW)).isEqualTo(CLAIMED);
  }

  @Test
  void aLeaseThisInvocationAlreadyHoldsIsItsOwnEvenWhenTheCreateAnswerWasLost() {
    assertThat(LeaseRules.decide(false, ME, NOW.plusSeconds(60), ME, NOW)).isEqualTo(CLAIMED);
  }

  @Test
  void anotherOwnersLiveLeaseIsBusy() {
    assertThat(LeaseRules.decide(false, "other", NOW.plusMillis(1), ME, NOW)).isEqualTo(BUSY);
  }

  @Test
  void anotherOwnersLeaseThatRanOutIsTakenOverAtItsExpiryExactly() {
    assertThat(LeaseRules.decide(false, "other", NOW, ME, NOW)).isEqualTo(TAKEN_OVER);
    assertThat(LeaseRules.decide(false, "other", NOW.minusSeconds(1), ME, NOW))
        .isEqualTo(TAKEN_OVER);
  }

  @Test
  void aReleasedLeaseIsTakenOverAtOnce() {
    assertThat(LeaseRules.decide(false, "other", Instant.EPOCH, ME, NOW)).isEqualTo(TAKEN_OVER);
  }
}
