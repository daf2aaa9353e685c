package io.batchdrop.cloud.jobs;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.firestore.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * How a job document records the answer to its create, for everyone who creates jobs: submit, and
 * poll when it heals a job left {@link JobDoc#CREATING}.
 */
public final class JobRecords {
  /** A hand-off due but not yet sent: poll's resend query finds it at once. */
  public static final Timestamp HANDOFF_DUE = Timestamp.ofTimeSecondsAndNanos(0, 0);

  private JobRecords() {}

  /**
   * Records Vertex's job if the document still waits for it; false when someone else recorded a job
   * first (the caller then keeps theirs, never a second one).
   */
  public static boolean recordCreated(
      Firestore firestore, DocumentReference doc, BatchPredictionJob job, Instant now)
      throws InterruptedException, ExecutionException {
    return firestore
        .runTransaction(
            tx -> {
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
            })
        .get();
  }

  /**
   * Claims the right to call create for a job document still {@link JobDoc#CREATING}: true when
   * nobody else holds a live claim. The claim lasts {@code window}, which the caller passes on to
   * {@link JobCreator} as its deadline, and pushes {@code nextPollAt} past it so poll leaves the
   * job alone meanwhile.
   */
  public static boolean claimCreate(
      Firestore firestore, DocumentReference doc, String owner, Instant now, Duration window)
      throws InterruptedException, ExecutionException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(doc).get();
              if (!JobDoc.CREATING.equals(current.getString(JobDoc.STATE))) {
                return false;
              }
              Timestamp until = current.getTimestamp(JobDoc.CREATOR_UNTIL);
              boolean heldByOther =
                  until != null
                      && Timestamps.toInstant(until).isAfter(now)
                      && !owner.equals(current.getString(JobDoc.CREATOR_OWNER));
              if (heldByOther) {
                return false;
              }
              Timestamp end = Timestamps.of(now.plus(window));
              tx.update(
                  doc,
                  Map.of(
                      JobDoc.CREATOR_OWNER,
                      owner,
                      JobDoc.CREATOR_UNTIL,
                      end,
                      JobDoc.NEXT_POLL_AT,
                      end,
                      JobDoc.UPDATED_AT,
                      Timestamps.of(now)));
              return true;
            })
        .get();
  }

  /** True while {@code owner} holds a live create claim on a document still CREATING. */
  public static boolean holdsCreateClaim(DocumentReference doc, String owner, Instant now)
      throws InterruptedException, ExecutionException {
    DocumentSnapshot current = doc.get().get();
    Timestamp until = current.getTimestamp(JobDoc.CREATOR_UNTIL);
    return JobDoc.CREATING.equals(current.getString(JobDoc.STATE))
        && owner.equals(current.getString(JobDoc.CREATOR_OWNER))
        && until != null
        && Timestamps.toInstant(until).isAfter(now);
  }

  /**
   * Gives a create claim up after this caller stopped trying (its attempts ran out), so the next
   * caller need not wait for the window to pass. A claim held by someone else is left alone.
   */
  public static void releaseCreate(
      Firestore firestore, DocumentReference doc, String owner, Instant now)
      throws InterruptedException, ExecutionException {
    firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(doc).get();
              if (JobDoc.CREATING.equals(current.getString(JobDoc.STATE))
                  && owner.equals(current.getString(JobDoc.CREATOR_OWNER))) {
                tx.update(
                    doc,
                    Map.of(
                        JobDoc.CREATOR_UNTIL,
                        Timestamps.of(now),
                        JobDoc.NEXT_POLL_AT,
                        Timestamps.of(now)));
              }
              return null;
            })
        .get();
  }

  /** The fields of a document about to call create for the first time, claim included. */
  public static Map<String, Object> creatingClaim(String owner, Instant now, Duration window) {
    Timestamp end = Timestamps.of(now.plus(window));
    return Map.of("creator", Map.of("owner", owner, "until", end), JobDoc.NEXT_POLL_AT, end);
  }

  /** Vertex refused the job for good: the document stops being polled and keeps the reason. */
  public static void recordCreateFailed(DocumentReference doc, String reason, Instant now)
      throws InterruptedException, ExecutionException {
    doc.update(failedFields(reason, now)).get();
  }

  /**
   * A refused or never-created job still owes its rows an outcome: it is due for hand-off at once
   * (poll's resend query finds it), and {@code publish} gives every staged row a {@code failed}
   * message with the reason.
   */
  private static Map<String, Object> failedFields(String reason, Instant now) {
    Map<String, Object> failed = new HashMap<>();
    failed.put(JobDoc.STATE, JobDoc.CREATE_FAILED);
    failed.put(JobDoc.CREATE_ERROR, reason);
    failed.put(JobDoc.ACTIVE, false);
    failed.put(JobDoc.PUBLISH_DONE, false);
    failed.put(JobDoc.HANDOFF_AT, HANDOFF_DUE);
    failed.put(JobDoc.HANDOFF_DUE_AT, Timestamps.of(now));
    failed.put(JobDoc.UPDATED_AT, Timestamps.of(now));
    return failed;
  }

  /**
   * Settles a shard attempt of a run that is failing: returns the name of the batch job it has, or
   * makes sure it is {@code CREATE_FAILED} with {@code reason} and handed to publish (writing the
   * document when it never existed) and returns null. A job whose create claim is live must be
   * waited for by the caller; this one treats {@code CREATING} as never created.
   */
  public static String settleAsFailed(
      Firestore firestore, JobSubmission.NewJob shard, String reason, Instant now)
      throws InterruptedException, ExecutionException {
    DocumentReference ref = firestore.collection(JobDoc.COLLECTION).document(shard.jobId().value());
    Map<String, Object> failed = failedFields(reason, now);
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot job = tx.get(ref).get();
              if (job.exists() && job.getString(JobDoc.VERTEX_NAME) != null) {
                return job.getString(JobDoc.VERTEX_NAME);
              }
              if (!job.exists()) {
                Map<String, Object> doc = new HashMap<>(failed);
                // create() takes field names literally: the dotted path becomes a nested map.
                doc.remove(JobDoc.PUBLISH_DONE);
                doc.put("publish", Map.of("done", false));
                doc.put(JobDoc.RUN_ID, shard.jobId().run().value());
                doc.put(JobDoc.SHARD, shard.jobId().shard());
                doc.put(JobDoc.ATTEMPT, shard.jobId().attempt());
                doc.put(JobDoc.MODEL, shard.model());
                doc.put(JobDoc.INPUT_URI, shard.inputUri());
                doc.put(JobDoc.OUTPUT_URI_PREFIX, shard.outputUriPrefix());
                doc.put(JobDoc.BACKEND, shard.backend());
                doc.put(JobDoc.ROWS, shard.rows());
                doc.put(JobDoc.FIRST_ROW, shard.firstRow());
                doc.put(JobDoc.LAST_ROW, shard.lastRow());
                tx.create(ref, doc);
              } else if (JobDoc.CREATING.equals(job.getString(JobDoc.STATE))) {
                tx.update(ref, failed);
              } else if (job.get(JobDoc.PUBLISH_DONE) == null) {
                tx.update(
                    ref,
                    Map.of(
                        JobDoc.PUBLISH_DONE,
                        false,
                        JobDoc.HANDOFF_AT,
                        HANDOFF_DUE,
                        JobDoc.HANDOFF_DUE_AT,
                        Timestamps.of(now)));
              }
              return null;
            })
        .get();
  }
}
