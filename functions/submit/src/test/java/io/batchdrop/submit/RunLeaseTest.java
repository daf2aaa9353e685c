package io.batchdrop.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.DocumentReference;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.firestore.LeaseClaim;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The run lease as submit holds it, on the Firestore emulator: an owner whose lease ran out while
 * it worked finds out before it undoes anything (confirm), and the owner that took over keeps the
 * run.
 */
@LocalCloudTest
class RunLeaseTest {
  private static final Instant START = Instant.parse("2026-12-02T05:00:00Z");
  private static final Duration LEASE = Duration.ofMinutes(5);

  @Test
  void aFormerOwnerCannotConfirmALeaseAnotherInvocationTookOver(LocalCloud cloud) throws Exception {
    DocumentReference run = cloud.firestore().collection("runs").document("lease-takeover");
    DocumentLease stale = lease(cloud, run, START);
    assertThat(stale.create(Map.of("state", "VALIDATING"), d -> false).outcome())
        .isEqualTo(LeaseClaim.Outcome.CLAIMED);
    // The first owner stalls past its lease; a redelivery takes the run over.
    DocumentLease current = lease(cloud, run, START.plus(LEASE).plusSeconds(1));
    assertThat(current.acquire(d -> false).outcome()).isEqualTo(LeaseClaim.Outcome.TAKEN_OVER);

    assertThatThrownBy(stale::confirm).isInstanceOf(LeaseLostException.class);
    current.confirm();
    assertThat(run.get().get().getString("lease.owner")).isEqualTo(current.owner());
  }

  private static DocumentLease lease(LocalCloud cloud, DocumentReference doc, Instant now) {
    return new DocumentLease(cloud.firestore(), doc, LEASE, Clock.fixed(now, ZoneOffset.UTC));
  }
}
