package io.batchdrop.publish;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Precondition;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.cloud.firestore.LeaseUpdateException;
import io.batchdrop.cloud.firestore.Timestamps;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Writes publish's checkpoints to the job document only while this invocation owns it, as {@link
 * DocumentLease#update} does, in one round trip where the lease's transaction takes three (begin,
 * read, commit): the write carries the document's update time from this store's own last write as
 * its precondition, so it lands only on the version this owner wrote last. When anything else wrote
 * in between (the lease's heartbeat, a new owner), the precondition fails and the document is read,
 * its owner checked and the write made on the version read; a write that still races goes through
 * the lease's transaction. Every write therefore lands on a version whose owner is this invocation,
 * as before; a lost lease throws {@link LeaseLostException}.
 *
 * <p>Writes come one at a time (the checkpoint thread, then the reading thread after it settled).
 */
final class CheckpointStore implements Consumer<Map<String, Object>> {
  private static final long DEADLINE_SECONDS = 60;

  private final DocumentReference doc;
  private final DocumentLease lease;
  private final Clock clock;

  /** The update time of this store's last write; null when there was none yet. */
  private Timestamp lastWrite;

  CheckpointStore(DocumentReference doc, DocumentLease lease, Clock clock) {
    this.doc = doc;
    this.lease = lease;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(Map<String, Object> fields) {
    Map<String, Object> withTime = new HashMap<>(fields);
    withTime.put("updatedAt", Timestamps.of(clock.instant()));
    if (lastWrite != null && write(withTime, lastWrite)) {
      return;
    }
    DocumentSnapshot current = await(doc.get());
    if (!lease.owner().equals(FieldTypes.string(current, DocumentLease.OWNER))) {
      throw new LeaseLostException(doc.getPath());
    }
    if (!write(withTime, current.getUpdateTime())) {
      lastWrite = null;
      lease.update(fields); // raced again: the owner-checked transaction decides
    }
  }

  /** True when written on that version (and remembers the new one); false when it was not it. */
  private boolean write(Map<String, Object> fields, Timestamp version) {
    try {
      lastWrite =
          doc.update(fields, Precondition.updatedAt(version))
              .get(DEADLINE_SECONDS, TimeUnit.SECONDS)
              .getUpdateTime();
      return true;
    } catch (ExecutionException e) {
      if (FirestoreErrors.isFailedPrecondition(e)) {
        return false;
      }
      throw new LeaseUpdateException(doc.getPath(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted updating " + doc.getPath(), e);
    } catch (TimeoutException e) {
      throw new LeaseUpdateException(doc.getPath(), e);
    }
  }

  private DocumentSnapshot await(com.google.api.core.ApiFuture<DocumentSnapshot> read) {
    try {
      return read.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + doc.getPath(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new LeaseUpdateException(doc.getPath(), e);
    }
  }
}
