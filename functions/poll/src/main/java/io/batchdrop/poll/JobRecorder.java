package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.events.JobStateChanged;
import io.batchdrop.cloud.events.JobStuck;
import io.batchdrop.cloud.events.LifecycleEvent;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records a Vertex answer in {@code jobs/{jobId}} inside a transaction that re-reads the document,
 * so two overlapping poll calls never lose or reorder an update: an answer older than the one
 * recorded (by Vertex {@code updateTime}) is dropped, and an answer already recorded by the other
 * call changes nothing, so only one call emits its event. The events ({@code job.state_changed},
 * {@code job.stuck}) are recorded in the same transaction ({@link EventOutbox}) and sent after it.
 */
final class JobRecorder {
  static final int HISTORY_LIMIT = 20;

  /** A due hand-off not yet sent: the resend query finds it at once. */
  static final Timestamp HANDOFF_DUE = Timestamp.ofTimeSecondsAndNanos(0, 0);

  /** NOT_FOUND answers in a row; cleared by the next answer that finds the job. */
  static final String NOT_FOUND_COUNT = "notFoundCount";

  /** A transaction's bound, retries included; Firestore's own limit is 270 s. */
  static final long WRITE_DEADLINE_SECONDS = 60;

  private final Firestore firestore;
  private final Watchdog watchdog;

  /** What a NOT_FOUND answer came to. */
  enum Missing {
    COUNTED,
    LOST,
    NOTHING
  }

  JobRecorder(Firestore firestore, Watchdog watchdog) {
    this.firestore = firestore;
    this.watchdog = watchdog;
  }

  Recorded record(DocumentReference ref, Observation observation, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot doc = tx.get(ref).get();
              if (!doc.exists() || isOlderThanRecorded(observation, doc)) {
                return Recorded.NOTHING;
              }
              boolean changed = !observation.digest().equals(doc.getString(JobDoc.OBSERVED));
              List<String> stuck = watchdog.newlyCrossed(observation.job(), stuckMap(doc), now);
              List<LifecycleEvent> events = new ArrayList<>();
              if (!changed && stuck.isEmpty() && doc.get(NOT_FOUND_COUNT) == null) {
                return Recorded.NOTHING;
              }
              String previous = doc.getString(JobDoc.STATE);
              Long previousValue = doc.getLong(JobDoc.STATE_VALUE);
              Map<String, Object> updates = new HashMap<>();
              boolean completed = false;
              if (changed) {
                updates.putAll(observation.fields());
                boolean stateMoved =
                    previousValue == null
                        || previousValue != observation.stateValue()
                        || !observation.state().equals(previous);
                if (stateMoved) {
                  updates.put(JobDoc.STATE_HISTORY, history(doc, observation, now));
                  updates.put(JobDoc.STATE_CHANGED_AT, Timestamps.of(now));
                }
                // A job adopted (found by label) already past PENDING was recorded in that state,
                // so its first answer moves nothing; its state is still news to subscribers.
                boolean adoptedPastPending =
                    doc.getString(JobDoc.OBSERVED) == null
                        && !VertexStates.isWaiting(observation.job());
                if (stateMoved || adoptedPastPending) {
                  events.add(stateChange(doc, observation, stateMoved ? previous : null));
                }
                updates.put(
                    JobDoc.NEXT_POLL_AT,
                    Timestamps.of(PollSchedule.nextPollAt(observation.job(), now)));
                if (observation.terminal() && Boolean.TRUE.equals(doc.getBoolean(JobDoc.ACTIVE))) {
                  completed = true;
                  updates.put(JobDoc.ACTIVE, false);
                  if (doc.get(JobDoc.PUBLISH_DONE) == null) {
                    updates.put(JobDoc.PUBLISH_DONE, false);
                  }
                  updates.put(JobDoc.HANDOFF_AT, HANDOFF_DUE);
                  updates.put(JobDoc.HANDOFF_DUE_AT, Timestamps.of(now));
                }
              }
              for (String threshold : stuck) {
                updates.put(JobDoc.STUCK + "." + threshold, Timestamps.of(now));
                events.add(
                    new JobStuck(
                        doc.getString(JobDoc.RUN_ID),
                        doc.getId(),
                        observation.job().getName(),
                        observation.state(),
                        observation.stateValue(),
                        threshold));
              }
              if (doc.get(NOT_FOUND_COUNT) != null) {
                updates.put(NOT_FOUND_COUNT, FieldValue.delete());
              }
              if (!events.isEmpty()) {
                updates.putAll(EventOutbox.record(doc, events, now));
              }
              updates.put(JobDoc.UPDATED_AT, Timestamps.of(now));
              tx.update(ref, updates);
              return new Recorded(
                  changed, previous, changed ? observation.state() : previous, completed, stuck);
            })
        .get(WRITE_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Counts a NOT_FOUND answer; the {@code lostAfter}-th in a row makes the job lost: terminal,
   * handed off at once, with its {@code job.stuck} recorded in the same transaction.
   */
  Missing notFound(DocumentReference ref, String reason, int lostAfter, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot doc = tx.get(ref).get();
              if (!doc.exists() || !Boolean.TRUE.equals(doc.getBoolean(JobDoc.ACTIVE))) {
                return Missing.NOTHING;
              }
              Long seen = doc.getLong(NOT_FOUND_COUNT);
              long count = (seen == null ? 0 : seen) + 1;
              Map<String, Object> updates = new HashMap<>();
              updates.put(NOT_FOUND_COUNT, count);
              updates.put(JobDoc.UPDATED_AT, Timestamps.of(now));
              if (count < lostAfter) {
                tx.update(ref, updates);
                return Missing.COUNTED;
              }
              String why =
                  "Vertex AI answered NOT_FOUND for the job on "
                      + count
                      + " polls in a row: it no longer exists; "
                      + reason;
              updates.put(JobDoc.STATE, JobDoc.LOST);
              updates.put(JobDoc.ACTIVE, false);
              if (doc.get(JobDoc.PUBLISH_DONE) == null) {
                updates.put(JobDoc.PUBLISH_DONE, false);
              }
              updates.put(JobDoc.HANDOFF_AT, HANDOFF_DUE);
              updates.put(JobDoc.HANDOFF_DUE_AT, Timestamps.of(now));
              updates.put(JobDoc.STATE_CHANGED_AT, Timestamps.of(now));
              updates.put(JobDoc.STUCK + ".lost", Timestamps.of(now));
              updates.putAll(
                  EventOutbox.record(
                      doc,
                      List.of(
                          new JobStuck(
                              doc.getString(JobDoc.RUN_ID),
                              doc.getId(),
                              doc.getString(JobDoc.VERTEX_NAME),
                              JobDoc.LOST,
                              stateValueOf(doc),
                              "lost",
                              why)),
                      now));
              tx.update(ref, updates);
              return Missing.LOST;
            })
        .get(WRITE_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Records a refused get (PERMISSION_DENIED, or UNAUTHENTICATED: a Gemini API key the service does
   * not accept) as {@code job.stuck} once; the job stays active, an operator can grant the
   * permission or put the right key in the secret. True when the event was recorded now.
   */
  boolean refused(DocumentReference ref, String code, String reason, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return stuckOnce(ref, code.toLowerCase(java.util.Locale.ROOT), reason, Map.of(), now);
  }

  /**
   * Records that the job's backend is not in this deployment: {@code job.stuck} {@code
   * backend_unavailable} once, and, every time, the job due again only at {@code nextPollAt}, so a
   * job nobody can poll costs one look per interval, not a failed call every tick. True when the
   * event was recorded now.
   */
  boolean backendUnavailable(DocumentReference ref, String reason, Instant nextPollAt, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return stuckOnce(
        ref,
        BACKEND_UNAVAILABLE,
        reason,
        Map.of(JobDoc.NEXT_POLL_AT, Timestamps.of(nextPollAt)),
        now);
  }

  /**
   * Records a job document poll cannot read (a field of the wrong type): {@code job.stuck} {@code
   * malformed_document} once, and the job no longer active, so no call polls it again until an
   * operator corrects the field and sets {@code active} back to true. True when the event was
   * recorded now.
   */
  boolean malformed(DocumentReference ref, String reason, Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return stuckOnce(
        ref,
        MALFORMED_DOCUMENT,
        reason,
        Map.of(JobDoc.ACTIVE, false, JobDoc.UPDATED_AT, Timestamps.of(now)),
        now);
  }

  /** The threshold of a job document with a field of the wrong type. */
  static final String MALFORMED_DOCUMENT = "malformed_document";

  /** The threshold of a job whose backend this deployment does not have. */
  static final String BACKEND_UNAVAILABLE = "backend_unavailable";

  /**
   * What records {@code job.stuck} for {@code threshold} on the job as it stands: the threshold
   * marked crossed and the event in the outbox. Fields are read leniently, as the document may be
   * the malformed one the event reports.
   */
  static Map<String, Object> stuckUpdates(
      DocumentSnapshot doc, String threshold, String reason, Instant now) {
    Map<String, Object> updates = new HashMap<>();
    updates.put(JobDoc.STUCK + "." + threshold, Timestamps.of(now));
    updates.putAll(
        EventOutbox.record(
            doc,
            List.of(
                new JobStuck(
                    JobFields.string(doc, JobDoc.RUN_ID),
                    doc.getId(),
                    JobFields.string(doc, JobDoc.VERTEX_NAME),
                    JobFields.string(doc, JobDoc.STATE),
                    JobFields.number(doc, JobDoc.STATE_VALUE),
                    threshold,
                    reason)),
            now));
    return updates;
  }

  /**
   * {@code job.stuck} for {@code threshold} unless it fired already; {@code always} is written
   * either way.
   */
  private boolean stuckOnce(
      DocumentReference ref,
      String threshold,
      String reason,
      Map<String, Object> always,
      Instant now)
      throws ExecutionException, InterruptedException, TimeoutException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot doc = tx.get(ref).get();
              if (!doc.exists()) {
                return false;
              }
              if (stuckMap(doc).containsKey(threshold)) {
                if (!always.isEmpty()) {
                  tx.update(ref, always);
                }
                return false;
              }
              Map<String, Object> updates = new HashMap<>(always);
              updates.putAll(stuckUpdates(doc, threshold, reason, now));
              tx.update(ref, updates);
              return true;
            })
        .get(WRITE_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static int stateValueOf(DocumentSnapshot doc) {
    Long value = doc.getLong(JobDoc.STATE_VALUE);
    return value == null ? 0 : value.intValue();
  }

  private static JobStateChanged stateChange(
      DocumentSnapshot doc, Observation observation, String previousState) {
    BatchPredictionJob job = observation.job();
    return new JobStateChanged(
        doc.getString(JobDoc.RUN_ID),
        doc.getId(),
        job.getName(),
        previousState,
        observation.state(),
        observation.stateValue(),
        job.hasCompletionStats()
            ? new JobStateChanged.CompletionStats(
                job.getCompletionStats().getSuccessfulCount(),
                job.getCompletionStats().getFailedCount(),
                job.getCompletionStats().getIncompleteCount())
            : null,
        job.hasError()
            ? new JobStateChanged.JobError(job.getError().getCode(), job.getError().getMessage())
            : null);
  }

  private static boolean isOlderThanRecorded(Observation observation, DocumentSnapshot doc) {
    Timestamp recorded = doc.getTimestamp(JobDoc.VERTEX_UPDATE_TIME);
    Optional<Timestamp> seen = observation.updateTime();
    return recorded != null && seen.isPresent() && seen.get().compareTo(recorded) < 0;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> stuckMap(DocumentSnapshot doc) {
    Object stuck = doc.get(JobDoc.STUCK);
    return stuck instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  private static List<Object> history(DocumentSnapshot doc, Observation observation, Instant now) {
    List<Object> history = new ArrayList<>();
    if (doc.get(JobDoc.STATE_HISTORY) instanceof List<?> list) {
      history.addAll(list);
    }
    history.add(
        Map.of(
            "state",
            observation.state(),
            "stateValue",
            (long) observation.stateValue(),
            "at",
            Timestamps.of(now)));
    return history.size() <= HISTORY_LIMIT
        ? history
        : new ArrayList<>(history.subList(history.size() - HISTORY_LIMIT, history.size()));
  }
}
