package io.batchdrop.poll;

import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.cloud.run.RunState;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The selections of a call. Composite indexes (Terraform): {@code jobs} (active ASC, nextPollAt
 * ASC, __name__ ASC), {@code jobs} (publish.done ASC, handoffAt ASC, __name__ ASC) and {@code runs}
 * (state ASC, updatedAt ASC, __name__ ASC) and {@code runs} (state ASC, failures.submit ASC,
 * __name__ ASC); the outbox and stale-run selections use Firestore's automatic single-field
 * indexes.
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
    return first(dueQuery(now).orderBy(JobDoc.NEXT_POLL_AT).orderBy(FieldPath.documentId()), limit);
  }

  /** How many active jobs are due: an aggregation query, which returns no document. */
  long countActive(Instant now) throws ExecutionException, InterruptedException, TimeoutException {
    return dueQuery(now).count().get().get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS).getCount();
  }

  /**
   * The due jobs of one slice, longest-waiting first: the same query as {@link #active} with the
   * slice's document-id range on top (the same composite index serves it).
   */
  List<QueryDocumentSnapshot> activeIn(PollSlice slice, Instant now, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    Query query = dueQuery(now);
    if (!slice.from().isEmpty()) {
      query = query.whereGreaterThanOrEqualTo(FieldPath.documentId(), slice.from());
    }
    if (!slice.to().isEmpty()) {
      query = query.whereLessThan(FieldPath.documentId(), slice.to());
    }
    return first(query.orderBy(JobDoc.NEXT_POLL_AT).orderBy(FieldPath.documentId()), limit);
  }

  /** The first {@code limit} documents of a selection, within the query deadline. */
  private static List<QueryDocumentSnapshot> first(Query query, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return query.limit(limit).get().get(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS).getDocuments();
  }

  private Query dueQuery(Instant now) {
    return firestore
        .collection(JobDoc.COLLECTION)
        .whereEqualTo(JobDoc.ACTIVE, true)
        .whereLessThanOrEqualTo(JobDoc.NEXT_POLL_AT, Timestamps.of(now));
  }

  /** Finished jobs not yet published whose last hand-off was sent before {@code sentBefore}. */
  List<QueryDocumentSnapshot> unconfirmedHandOffs(Instant sentBefore, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return first(
        firestore
            .collection(JobDoc.COLLECTION)
            .whereEqualTo(JobDoc.PUBLISH_DONE, false)
            .whereLessThanOrEqualTo(JobDoc.HANDOFF_AT, Timestamps.of(sentBefore))
            .orderBy(JobDoc.HANDOFF_AT),
        limit);
  }

  /** Jobs with lifecycle events recorded before {@code recordedBefore} and not yet confirmed. */
  List<QueryDocumentSnapshot> pendingEvents(Instant recordedBefore, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return first(
        firestore
            .collection(JobDoc.COLLECTION)
            .whereLessThanOrEqualTo(EventOutbox.DUE, Timestamps.of(recordedBefore))
            .orderBy(EventOutbox.DUE),
        limit);
  }

  /** Runs whose progress refresh failed. */
  List<QueryDocumentSnapshot> staleRuns(int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return first(
        firestore.collection(RunDoc.COLLECTION).whereEqualTo(RunProgress.STALE, true), limit);
  }

  /** Runs still VALIDATING whose last sign of life (any lease write) is before {@code before}. */
  List<QueryDocumentSnapshot> stalledRuns(Instant before, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return first(
        firestore
            .collection(RunDoc.COLLECTION)
            .whereEqualTo(RunDoc.STATE, RunState.VALIDATING.name())
            .whereLessThanOrEqualTo(RunDoc.UPDATED_AT, Timestamps.of(before))
            .orderBy(RunDoc.UPDATED_AT),
        limit);
  }

  /** Runs still VALIDATING whose submit deliveries failed at least {@code failures} times. */
  List<QueryDocumentSnapshot> failingRuns(int failures, int limit)
      throws ExecutionException, InterruptedException, TimeoutException {
    return first(
        firestore
            .collection(RunDoc.COLLECTION)
            .whereEqualTo(RunDoc.STATE, RunState.VALIDATING.name())
            .whereGreaterThanOrEqualTo(RunDoc.SUBMIT_FAILURES, failures)
            .orderBy(RunDoc.SUBMIT_FAILURES),
        limit);
  }
}
