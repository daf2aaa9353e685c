package io.batchdrop.jobs;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.firestore.Timestamps;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * How a job document records the answer to its create, for everyone who creates jobs: submit,
 * and poll when it heals a job left {@link JobDoc#CREATING}.
 */
public final class JobRecords {
  private JobRecords() {}

  /**
   * Records Vertex's job if the document still waits for it; false when someone else recorded a
   * job first (the caller then keeps theirs, never a second one).
   */
  public static boolean recordCreated(Firestore firestore, DocumentReference doc,
      BatchPredictionJob job, Instant now) throws InterruptedException, ExecutionException {
    return firestore.runTransaction(tx -> {
      DocumentSnapshot current = tx.get(doc).get();
      if (!JobDoc.CREATING.equals(current.getString(JobDoc.STATE))) {
        return false;
      }
      Map<String, Object> created = new HashMap<>();
      created.put(JobDoc.VERTEX_NAME, job.getName());
      created.put(JobDoc.STATE, job.getState().name());
      created.put(JobDoc.STATE_VALUE, job.getStateValue());
      created.put(JobDoc.ACTIVE, true);
      created.put(JobDoc.NEXT_POLL_AT, Timestamps.of(now));
      created.put(JobDoc.VERTEX_CREATE_TIME, Timestamp.fromProto(job.getCreateTime()));
      created.put(JobDoc.UPDATED_AT, Timestamps.of(now));
      tx.update(doc, created);
      return true;
    }).get();
  }

  /** Vertex refused the job for good: the document stops being polled and keeps the reason. */
  public static void recordCreateFailed(DocumentReference doc, String reason, Instant now)
      throws InterruptedException, ExecutionException {
    doc.update(JobDoc.STATE, JobDoc.CREATE_FAILED, JobDoc.CREATE_ERROR, reason,
        JobDoc.ACTIVE, false, JobDoc.UPDATED_AT, Timestamps.of(now)).get();
  }
}
