package io.batchdrop.cloud.events;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.firestore.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Lifecycle events recorded in the document whose change they announce, in the same transaction
 * ({@link #PENDING}, oldest first), sent after the commit and removed once the server confirmed
 * them. What a failed or interrupted send leaves is sent by a later call ({@link #DUE} says since
 * when), oldest first, so every event is delivered at least once and in order per document.
 */
public final class EventOutbox {
  /** List of maps: id, type, runId, jobId, time, data (the event's JSON). */
  public static final String PENDING = "pendingEvents";

  /** When the oldest pending event was recorded; absent when nothing is pending. */
  public static final String DUE = "outboxDue";

  /** Bounds the list (a document stays far below 1 MiB): older entries are kept, newest dropped. */
  static final int MAX_PENDING = 50;

  /** One recorded event. */
  public record Entry(
      String id, String type, String runId, String jobId, String time, String data) {
    Map<String, Object> toMap() {
      Map<String, Object> map = new HashMap<>();
      map.put("id", id);
      map.put("type", type);
      map.put("runId", runId);
      map.put("jobId", jobId);
      map.put("time", time);
      map.put("data", data);
      return map;
    }

    static Entry fromMap(Map<?, ?> map) {
      return new Entry(
          (String) map.get("id"),
          (String) map.get("type"),
          (String) map.get("runId"),
          (String) map.get("jobId"),
          (String) map.get("time"),
          (String) map.get("data"));
    }
  }

  private final Firestore firestore;
  private final EventPublisher events;

  public EventOutbox(Firestore firestore, EventPublisher events) {
    this.firestore = firestore;
    this.events = events;
  }

  /**
   * The fields that record {@code added} behind what {@code current} already holds, for the
   * caller's transaction.
   */
  public static Map<String, Object> record(
      DocumentSnapshot current, List<LifecycleEvent> added, Instant now) {
    List<Object> pending = new ArrayList<>(pendingMaps(current));
    for (LifecycleEvent event : added) {
      if (pending.size() >= MAX_PENDING) {
        break;
      }
      pending.add(
          new Entry(
                  UUID.randomUUID().toString(),
                  event.type(),
                  event.runId(),
                  event.jobId(),
                  now.toString(),
                  EventPublisher.dataOf(event))
              .toMap());
    }
    Map<String, Object> fields = new HashMap<>();
    fields.put(PENDING, pending);
    if (current.get(DUE) == null) {
      fields.put(DUE, Timestamps.of(now));
    }
    return fields;
  }

  /**
   * Sends what {@code doc} has pending, oldest first, stopping at the first failure, and removes
   * what was confirmed. Returns how many were sent.
   */
  public int send(DocumentReference doc) throws ExecutionException, InterruptedException {
    List<Map<?, ?>> pending = pendingMaps(doc.get().get());
    Set<String> sent = new HashSet<>();
    RuntimeException failure = null;
    for (Map<?, ?> map : pending) {
      Entry entry = Entry.fromMap(map);
      try {
        events.publishRecorded(entry);
      } catch (RuntimeException e) {
        failure = e; // later events wait: order per document
        break;
      }
      sent.add(entry.id());
    }
    if (!sent.isEmpty()) {
      firestore
          .runTransaction(
              tx -> {
                DocumentSnapshot current = tx.get(doc).get();
                List<Object> left = new ArrayList<>();
                for (Map<?, ?> map : pendingMaps(current)) {
                  if (!sent.contains((String) map.get("id"))) {
                    left.add(map);
                  }
                }
                Map<String, Object> updates = new HashMap<>();
                updates.put(PENDING, left);
                if (left.isEmpty()) {
                  updates.put(DUE, FieldValue.delete());
                }
                tx.update(doc, updates);
                return null;
              })
          .get();
    }
    if (failure != null) {
      throw failure;
    }
    return sent.size();
  }

  private static List<Map<?, ?>> pendingMaps(DocumentSnapshot doc) {
    List<Map<?, ?>> maps = new ArrayList<>();
    if (doc.exists() && doc.get(PENDING) instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          maps.add(map);
        }
      }
    }
    return maps;
  }
}
