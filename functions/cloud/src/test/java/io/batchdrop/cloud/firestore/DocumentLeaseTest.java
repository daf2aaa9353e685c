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
import org.junit.jupiter.api.Test;

/** Leases on the Firestore emulator, where claims race as redelivered events make them. */
@LocalCloudTest
class DocumentLeaseTest {
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final int CLAIMERS = 16;

  @Test
  void ofManyDeliveriesClaimingOneFreeDocumentAtOnceOneGetsItAndEveryOtherIsToldItIsBusy(
      LocalCloud cloud) throws Exception {
    DocumentReference job = cloud.firestore().collection("jobs").document("contended");
    job.set(Map.of("done", false)).get();
    CountDownLatch start = new CountDownLatch(1);
    List<CompletableFuture<LeaseClaim.Outcome>> claims = new ArrayList<>();
    for (int i = 0; i < CLAIMERS; i++) {
      claims.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (DocumentLease lease =
                    new DocumentLease(cloud.firestore(), job, LEASE, Clock.systemUTC())) {
                  start.await();
                  return lease.acquire(d -> false).outcome();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              r -> new Thread(r).start()));
    }
    start.countDown();

    List<LeaseClaim.Outcome> outcomes = new ArrayList<>();
    for (CompletableFuture<LeaseClaim.Outcome> claim : claims) {
      outcomes.add(claim.join());
    }
    assertThat(outcomes).filteredOn(o -> o == LeaseClaim.Outcome.CLAIMED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == LeaseClaim.Outcome.BUSY).hasSize(CLAIMERS - 1);
  }
}
