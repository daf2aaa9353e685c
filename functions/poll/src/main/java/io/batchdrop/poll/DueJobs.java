package io.batchdrop.poll;

import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The two selections of a call. Composite indexes (Terraform): {@code jobs} (active ASC, nextPollAt
 * ASC, __name__ ASC) and {@code jobs} (publish.done ASC, handoffAt ASC, __name__ ASC).
 */
final class DueJobs {
  private static final long QUERY_TIMEOUT_SECONDS = 30;
  private final Firestore firestore;

  DueJobs(Firestore firestore) {
    this.firestore = firestore;
  }

  /** Active jobs whose {@code nextPollAt} has passed, longest-waiting first. */
  List<QueryDocumentSnapshot> active(Instant now, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return firestore
        .collection(JobDoc.COLLECTION)
        .whereEqualTo(JobDoc.ACTIVE, true)
        .whereLessThanOrEqualTo(JobDoc.NEXT_POLL_AT, Timestamps.of(now))
        .orderBy(JobDoc.NEXT_POLL_AT)
        .orderBy(FieldPath.documentId())
        .limit(limit)
        .get()
        .get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .getDocuments();
  }

  /** Finished jobs not yet published whose last hand-off was sent before {@code sentBefore}. */
  List<QueryDocumentSnapshot> unconfirmedHandOffs(Instant sentBefore, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return firestore
        .collection(JobDoc.COLLECTION)
        .whereEqualTo(JobDoc.PUBLISH_DONE, false)
        .whereLessThanOrEqualTo(JobDoc.HANDOFF_AT, Timestamps.of(sentBefore))
        .orderBy(JobDoc.HANDOFF_AT)
        .limit(limit)
        .get()
        .get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .getDocuments();
  }
}
