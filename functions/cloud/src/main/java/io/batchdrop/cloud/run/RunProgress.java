package io.batchdrop.cloud.run;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.QuerySnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.log.StructuredLog;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes a run follow its jobs: {@code jobStates} counts the jobs per state, and a SUBMITTED run
 * becomes RUNNING once any of its jobs runs or has finished. Later run states belong to {@code
 * publish}; this never moves a run backwards or past RUNNING.
 *
 * <p>The run's jobs are read by a plain query, outside any transaction, and the counts are written
 * by a transaction that reads only the run document, on the condition that no refresh from a later
 * read of the jobs was recorded before ({@link #JOB_STATES_AS_OF}). A query inside a transaction
 * locks what it read until the commit: on the Firestore emulator the whole {@code jobs} collection
 * (every job write waits, then aborts with "Transaction lock timeout"; bench/poll.md), and on
 * Firestore the run's jobs, which poll's records and publish's checkpoints write. Every caller
 * refreshes after committing its job change, so the refresh with the latest read is the one that
 * counts, and the run ends up counting what its jobs hold.
 *
 * <p>A run field of the wrong type (an edit by hand, a bug elsewhere) is read as no value and
 * logged, never thrown: a refresh that failed on it would mark the run stale and fail again on
 * every call. The counts are still written; a {@code state} that is no string is not moved, which
 * leaves the decision about the run to publish's close ({@code RunFields} there).
 */
public final class RunProgress {
  private static final StructuredLog LOG = StructuredLog.forComponent("run-progress");
  public static final String JOB_STATES = "jobStates";

  /** The read time of the job query the recorded {@link #JOB_STATES} come from. */
  public static final String JOB_STATES_AS_OF = "jobStatesAsOf";

  /** Set when a refresh failed; poll refreshes such runs on its next calls, and this clears it. */
  public static final String STALE = "progressStale";

  /** Bounds each Firestore call of a refresh; a run's jobs are at most a few hundred documents. */
  static final long DEADLINE_SECONDS = 60;

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

  /**
   * Returns true when the run document changed.
   *
   * @throws ExecutionException when Firestore refused a read or the write (the caller marks the run
   *     {@link #STALE})
   */
  public boolean refresh(String runId) throws ExecutionException, InterruptedException {
    DocumentReference run = firestore.collection(RunDoc.COLLECTION).document(runId);
    QuerySnapshot jobs =
        within(
            // Only the state: a job's checkpoint holds row bitsets of up to 250 KB each, and a run
            // may have thousands of jobs, read again at every refresh.
            firestore
                .collection(JobDoc.COLLECTION)
                .whereEqualTo(JobDoc.RUN_ID, runId)
                .select(JobDoc.STATE)
                .get(),
            "the run's jobs");
    Timestamp asOf = jobs.getReadTime();
    Map<String, Long> counts = new TreeMap<>();
    for (QueryDocumentSnapshot job : jobs) {
      String state = job.getString(JobDoc.STATE);
      counts.merge(state == null ? "UNKNOWN" : state, 1L, Long::sum);
    }
    return within(
        firestore.runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(run).get();
              problem(current)
                  .ifPresent(
                      p ->
                          LOG.warning()
                              .run(runId)
                              .with("problem", p)
                              .log("run field of the wrong type taken as no value"));
              if (!current.exists() || newerRecorded(current, asOf)) {
                return false;
              }
              Map<String, Object> updates = new HashMap<>();
              if (!counts.equals(current.get(JOB_STATES))) {
                updates.put(JOB_STATES, counts);
              }
              String state = FieldTypes.string(current, RunDoc.STATE);
              if (RunState.SUBMITTED.name().equals(state)
                  && counts.keySet().stream().anyMatch(RunProgress::started)) {
                updates.put(RunDoc.STATE, RunState.RUNNING.name());
              }
              // Only a read after the stale mark was written covers the change that set it.
              if (current.get(STALE) != null && current.getUpdateTime().compareTo(asOf) < 0) {
                updates.put(STALE, FieldValue.delete());
              }
              if (updates.isEmpty()) {
                return false;
              }
              updates.put(JOB_STATES_AS_OF, asOf);
              updates.put(RunDoc.UPDATED_AT, Timestamps.of(clock.instant()));
              tx.update(run, updates);
              return true;
            }),
        "the run document");
  }

  /** The first field a refresh reads that holds another type than its writer gives it. */
  private static Optional<String> problem(DocumentSnapshot run) {
    return FieldTypes.check(run, RunDoc.STATE, String.class, "a string")
        .or(() -> FieldTypes.check(run, JOB_STATES_AS_OF, Timestamp.class, "a timestamp"));
  }

  private static boolean newerRecorded(DocumentSnapshot run, Timestamp asOf) {
    Timestamp recorded = FieldTypes.timestamp(run, JOB_STATES_AS_OF);
    return recorded != null && recorded.compareTo(asOf) > 0;
  }

  private static <T> T within(java.util.concurrent.Future<T> call, String what)
      throws ExecutionException, InterruptedException {
    try {
      return call.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ExecutionException(
          "Firestore did not answer within " + DEADLINE_SECONDS + " s reading " + what, e);
    }
  }
}
