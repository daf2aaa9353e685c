package io.batchdrop.cloud.firestore;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentReference;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Leases on the Firestore emulator, where claims race as redelivered events make them. */
@LocalCloudTest
class DocumentLeaseTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final int CLAIMERS = 16;

  /**
   * What a claim came to: its outcome, or {@code CONTENDED} when Firestore gave up on its
   * transaction for contention ("too many retries"), which publish takes as "someone else is at it"
   * and submit redelivers.
   */
  private static final String CONTENDED = "CONTENDED";

  @Test
  void ofManyDeliveriesClaimingOneFreeDocumentAtOnceOneGetsItAndEveryOtherIsToldItIsBusyOrContended(
      LocalCloud cloud) throws Exception {
    DocumentReference job = cloud.firestore().collection("jobs").document("contended");
    job.set(Map.of("done", false)).get();
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<String>> claims = new ArrayList<>();
    for (int i = 0; i < CLAIMERS; i++) {
      claims.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (DocumentLease lease =
                    new DocumentLease(cloud.firestore(), job, LEASE, Clock.systemUTC())) {
                  start.await();
                  return lease.acquire(d -> false).outcome().name();
                } catch (ExecutionException e) {
                  if (FirestoreErrors.isContention(e)) {
                    return CONTENDED;
                  }
                  throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              r -> new Thread(r).start()));
    }
    start.countDown();

    List<String> outcomes = new ArrayList<>();
    for (CompletableFuture<String> claim : claims) {
      outcomes.add(claim.join());
    }
    // Sixteen transactions on one document: on a loaded machine some exhaust the client's retries,
    // which says someone else holds it; never a second owner.
    assertThat(outcomes).filteredOn(LeaseClaim.Outcome.CLAIMED.name()::equals).hasSize(1);
    assertThat(outcomes)
        .filteredOn(o -> !o.equals(LeaseClaim.Outcome.CLAIMED.name()))
        .allMatch(o -> o.equals(LeaseClaim.Outcome.BUSY.name()) || o.equals(CONTENDED));
  }
}
