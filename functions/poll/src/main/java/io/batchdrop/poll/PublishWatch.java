package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The watchdog of a finished job whose publish never finishes: the hand-off resend finds it every
 * {@code BATCHDROP_HANDOFF_RESEND_MINUTES}, and once {@code publish.done} is still false {@code
 * BATCHDROP_STUCK_PUBLISH_HOURS} after the hand-off came due ({@code handoffDueAt}) the job gets
 * {@code job.stuck} {@code publish_not_done} once. The resends go on: a passing problem may still
 * clear. A document finished before {@code handoffDueAt} was recorded gets it at its first resend
 * seen here, and is timed from then. A document with a field of the wrong type ({@link JobFields})
 * is reported the same way, the field named: its hand-off cannot even be built.
 */
final class PublishWatch {
  static final String THRESHOLD = "publish_not_done";

  private final Firestore firestore;
  private final Duration after;
  private final Duration resendEvery;

  PublishWatch(Firestore firestore, BatchdropConfig.Poll settings) {
    this.firestore = firestore;
    this.after = settings.stuckPublish();
    this.resendEvery = settings.handoffResend();
  }

  /**
   * True when the job's {@code job.stuck} was recorded now (in its outbox: the caller sends it).
   */
  boolean check(DocumentSnapshot seen, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    if (!watched(seen, now)) {
      return false;
    }
    DocumentReference ref = seen.getReference();
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot doc = tx.get(ref).get();
              if (!watched(doc, now)) {
                return false;
              }
              Instant dueSince = dueSince(doc);
              if (dueSince == null) {
                tx.update(ref, JobDoc.HANDOFF_DUE_AT, Timestamps.of(now));
                return false;
              }
              Map<String, Object> updates =
                  JobRecorder.stuckUpdates(
                      doc, THRESHOLD, reason(doc, Duration.between(dueSince, now)), now);
              tx.update(ref, updates);
              return true;
            })
        .get(JobRecorder.WRITE_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Not published, not reported yet, and past the threshold (or not timed yet). */
  private boolean watched(DocumentSnapshot doc, Instant now) {
    if (!doc.exists()
        || Boolean.TRUE.equals(doc.get(JobDoc.PUBLISH_DONE))
        || JobRecorder.stuckMap(doc).containsKey(THRESHOLD)) {
      return false;
    }
    Instant dueSince = dueSince(doc);
    return dueSince == null || !now.isBefore(dueSince.plus(after));
  }

  private String reason(DocumentSnapshot doc, Duration waited) {
    Object count = doc.get(JobDoc.HANDOFF_COUNT);
    long sent = count instanceof Number n ? n.longValue() : 0;
    return "publish has not finished the job "
        + waited.toMinutes()
        + " minutes after its hand-off came due (BATCHDROP_STUCK_PUBLISH_HOURS is "
        + hours(after)
        + "); "
        + sent
        + (sent == 1 ? " hand-off" : " hand-offs")
        + " sent so far, and it is resent every "
        + resendEvery.toMinutes()
        + " minutes until publish sets publish.done"
        + JobFields.problem(doc)
            .map(
                problem ->
                    "; the job document cannot be read, so no hand-off can be built: " + problem)
            .orElse("");
  }

  private static Instant dueSince(DocumentSnapshot doc) {
    return doc.get(JobDoc.HANDOFF_DUE_AT) instanceof Timestamp at ? Timestamps.toInstant(at) : null;
  }

  private static String hours(Duration duration) {
    double hours = duration.toMillis() / 3_600_000.0;
    return hours == Math.rint(hours) ? Long.toString((long) hours) : Double.toString(hours);
  }
}
