package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.Firestore;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint is written only while this invocation owns the job document, whether it goes in one
 * precondition-checked update or has to read the document first (real Firestore emulator).
 */
@LocalCloudTest
class CheckpointStoreTest {
  /** An invocation whose five-minute lease ran out long ago. */
  private static final Clock AN_HOUR_AGO =
      Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);

  private Firestore firestore;
  private DocumentReference doc;

  @BeforeEach
  void deploy(LocalCloud cloud) throws Exception {
    firestore = cloud.firestore();
    doc = firestore.collection("jobs").document("checkpoint-store-" + System.nanoTime());
    doc.set(Map.of("publish", Map.of("offset", 0L))).get();
  }

  private DocumentLease claimed(Clock clock) throws Exception {
    DocumentLease lease = new DocumentLease(firestore, doc, Duration.ofMinutes(5), clock);
    assertThat(lease.acquire(d -> false).outcome())
        .isIn(LeaseClaim.Outcome.CLAIMED, LeaseClaim.Outcome.TAKEN_OVER);
    return lease;
  }

  @Test
  void everyCheckpointOfTheOwnerIsWrittenInTurn() throws Exception {
    CheckpointStore store = new CheckpointStore(doc, claimed(Clock.systemUTC()), Clock.systemUTC());

    for (long offset = 1; offset <= 3; offset++) {
      store.accept(Map.of("publish.offset", offset));
      assertThat(doc.get().get().getLong("publish.offset")).isEqualTo(offset);
    }
  }

  @Test
  void aCheckpointAfterTheLeasesOwnWriteIsStillWritten() throws Exception {
    DocumentLease lease = claimed(Clock.systemUTC());
    CheckpointStore store = new CheckpointStore(doc, lease, Clock.systemUTC());
    store.accept(Map.of("publish.offset", 1L));

    lease.update(Map.of("lease.note", "a heartbeat wrote the document meanwhile"));
    store.accept(Map.of("publish.offset", 2L));

    assertThat(doc.get().get().getLong("publish.offset")).isEqualTo(2L);
  }

  @Test
  void aCheckpointAfterAnotherInvocationTookTheLeaseOverIsRefusedAndNotWritten() throws Exception {
    DocumentLease first = claimed(AN_HOUR_AGO);
    CheckpointStore store = new CheckpointStore(doc, first, Clock.systemUTC());
    store.accept(Map.of("publish.offset", 1L));
    // The first lease ran out an hour ago; a new delivery takes the job over.
    DocumentLease second = claimed(Clock.systemUTC());
    assertThat(second.owner()).isNotEqualTo(first.owner());

    assertThatThrownBy(() -> store.accept(Map.of("publish.offset", 2L)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(doc.get().get().getLong("publish.offset")).isEqualTo(1L);
  }

  @Test
  void aFirstCheckpointOnADocumentAnotherInvocationOwnsIsRefused() throws Exception {
    DocumentLease first = claimed(AN_HOUR_AGO);
    claimed(Clock.systemUTC());
    CheckpointStore store = new CheckpointStore(doc, first, Clock.systemUTC());

    assertThatThrownBy(() -> store.accept(Map.of("publish.offset", 7L)))
        .isInstanceOf(LeaseLostException.class);
    assertThat(doc.get().get().getLong("publish.offset")).isZero();
  }
}
