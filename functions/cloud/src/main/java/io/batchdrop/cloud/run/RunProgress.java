package io.batchdrop.cloud.run;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * Makes a run follow its jobs: {@code jobStates} counts the jobs per state, and a SUBMITTED run
 * becomes RUNNING once any of its jobs runs or has finished. Later run states belong to {@code
 * publish}; this never moves a run backwards or past RUNNING.
 */
public final class RunProgress {
  public static final String JOB_STATES = "jobStates";

  /** Set when a refresh failed; poll refreshes such runs on its next calls, and this clears it. */
  public static final String STALE = "progressStale";

  private final Firestore firestore;
  private final Clock clock;

  public RunProgress(Firestore firestore, Clock clock) {
    this.firestore = firestore;
    this.clock = clock;
  }

  /** Running or past it: a job may finish between two polls without ever being seen RUNNING. */
  private static boolean started(String jobState) {
    return jobState.equals("JOB_STATE_RUNNING")
        || VertexStates.TERMINAL.stream().anyMatch(t -> t.name().equals(jobState));
  }

  /** Returns true when the run document changed. */
  public boolean refresh(String runId) throws ExecutionException, InterruptedException {
    DocumentReference run = firestore.collection(RunDoc.COLLECTION).document(runId);
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(run).get();
              if (!current.exists()) {
                return false;
              }
              Map<String, Long> counts = new TreeMap<>();
              for (QueryDocumentSnapshot job :
                  tx.get(firestore.collection(JobDoc.COLLECTION).whereEqualTo(JobDoc.RUN_ID, runId))
                      .get()) {
                String state = job.getString(JobDoc.STATE);
                counts.merge(state == null ? "UNKNOWN" : state, 1L, Long::sum);
              }
              Map<String, Object> updates = new HashMap<>();
              if (!counts.equals(current.get(JOB_STATES))) {
                updates.put(JOB_STATES, counts);
              }
              String state = current.getString(RunDoc.STATE);
              if (RunState.SUBMITTED.name().equals(state)
                  && counts.keySet().stream().anyMatch(RunProgress::started)) {
                updates.put(RunDoc.STATE, RunState.RUNNING.name());
              }
              if (current.get(STALE) != null) {
                updates.put(STALE, com.google.cloud.firestore.FieldValue.delete());
              }
              if (updates.isEmpty()) {
                return false;
              }
              updates.put(RunDoc.UPDATED_AT, Timestamps.of(clock.instant()));
              tx.update(run, updates);
              return true;
            })
        .get();
  }
}
