package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Records a Vertex answer in {@code jobs/{jobId}} inside a transaction that re-reads the document,
 * so two overlapping poll calls never lose or reorder an update: an answer older than the one
 * recorded (by Vertex {@code updateTime}) is dropped, and an answer already recorded by the other
 * call changes nothing, so only one call emits its event.
 */
final class JobRecorder {
  static final int HISTORY_LIMIT = 20;

  /** A due hand-off not yet sent: the resend query finds it at once. */
  static final Timestamp HANDOFF_DUE = Timestamp.ofTimeSecondsAndNanos(0, 0);

  private final Firestore firestore;
  private final Watchdog watchdog;

  JobRecorder(Firestore firestore, Watchdog watchdog) {
    this.firestore = firestore;
    this.watchdog = watchdog;
  }

  Recorded record(DocumentReference ref, Observation observation, Instant now)
      throws ExecutionException, InterruptedException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot doc = tx.get(ref).get();
              if (!doc.exists() || isOlderThanRecorded(observation, doc)) {
                return Recorded.NOTHING;
              }
              boolean changed = !observation.digest().equals(doc.getString(JobDoc.OBSERVED));
              List<String> stuck = watchdog.newlyCrossed(observation.job(), stuckMap(doc), now);
              if (!changed && stuck.isEmpty()) {
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
                }
              }
              for (String threshold : stuck) {
                updates.put(JobDoc.STUCK + "." + threshold, Timestamps.of(now));
              }
              updates.put(JobDoc.UPDATED_AT, Timestamps.of(now));
              tx.update(ref, updates);
              return new Recorded(
                  changed, previous, changed ? observation.state() : previous, completed, stuck);
            })
        .get();
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
