package io.batchdrop.cli;

import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The runs and jobs documents the functions write, read with a deadline on every call. */
final class RunStore {
  static final long DEADLINE_SECONDS = 30;
  static final int MAX_LIMIT = 1000;

  private final Firestore firestore;

  RunStore(Firestore firestore) {
    this.firestore = firestore;
  }

  Optional<DocumentSnapshot> run(RunId run) throws OpsException {
    DocumentSnapshot doc =
        await(firestore.collection(RunDoc.COLLECTION).document(run.value()).get(), "runs/" + run);
    return doc.exists() ? Optional.of(doc) : Optional.empty();
  }

  /** The run's jobs, every attempt, by shard then attempt. */
  List<DocumentSnapshot> jobs(RunId run) throws OpsException {
    return sorted(
        firestore.collection(JobDoc.COLLECTION).whereEqualTo(JobDoc.RUN_ID, run.value()), run);
  }

  /**
   * The run's jobs with only {@code fields} (and the shard and attempt they are sorted by): a job's
   * publish checkpoint holds row bitsets of up to 250 KB each, and a run may have thousands of
   * jobs, more than a command that shows a few numbers of each should hold.
   */
  List<DocumentSnapshot> jobs(RunId run, List<String> fields) throws OpsException {
    List<String> read = new ArrayList<>(fields);
    read.add(JobDoc.SHARD);
    read.add(JobDoc.ATTEMPT);
    return sorted(
        firestore
            .collection(JobDoc.COLLECTION)
            .whereEqualTo(JobDoc.RUN_ID, run.value())
            .select(read.toArray(String[]::new)),
        run);
  }

  private List<DocumentSnapshot> sorted(Query query, RunId run) throws OpsException {
    List<DocumentSnapshot> jobs =
        new ArrayList<>(await(query.get(), "the jobs of run " + run).getDocuments());
    jobs.sort(
        Comparator.comparingLong((DocumentSnapshot d) -> number(d, JobDoc.SHARD))
            .thenComparingLong(d -> number(d, JobDoc.ATTEMPT)));
    return jobs;
  }

  /**
   * The most recent runs: {@code ORDER BY createdAt DESC} uses the automatic single-field index;
   * with a state, {@code state == S ORDER BY createdAt DESC} needs the composite index {@code
   * runs_recent_by_state} (terraform/firestore.tf).
   */
  List<DocumentSnapshot> recent(int limit, String state) throws OpsException {
    Query query = firestore.collection(RunDoc.COLLECTION);
    if (state != null) {
      query = query.whereEqualTo(RunDoc.STATE, state);
    }
    query = query.orderBy(RunDoc.CREATED_AT, Query.Direction.DESCENDING).limit(limit);
    return new ArrayList<>(await(query.get(), "the recent runs").getDocuments());
  }

  DocumentSnapshot requireRun(RunId run) throws OpsException {
    return run(run).orElseThrow(() -> OpsException.notFound(run));
  }

  static long number(DocumentSnapshot doc, String field) {
    Object value = doc.get(field);
    return value instanceof Number n ? n.longValue() : 0;
  }

  /**
   * The answer to a Firestore call, within {@link #DEADLINE_SECONDS}; a failure is one plain line
   * saying what could not be read and what to check.
   */
  <T> T await(com.google.api.core.ApiFuture<T> future, String what) throws OpsException {
    try {
      return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new OpsException(
          "Firestore did not answer for "
              + what
              + " within "
              + DEADLINE_SECONDS
              + " s; "
              + reachable());
    } catch (ExecutionException e) {
      throw new OpsException(
          "cannot read " + what + " from Firestore: " + Errors.describe(e.getCause()) + check(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpsException("interrupted while reading " + what);
    }
  }

  /** What an operator checks for the failure's status; empty when there is nothing to say. */
  private String check(ExecutionException e) {
    StatusCode.Code code = Errors.code(e.getCause());
    if (code == null) {
      return "";
    }
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> "; " + reachable();
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          "; check the credentials (gcloud auth application-default login) and that they may"
              + " read Firestore in project "
              + firestore.getOptions().getProjectId();
      case NOT_FOUND ->
          "; check that project "
              + firestore.getOptions().getProjectId()
              + " has a Firestore database";
      default -> "";
    };
  }

  private String reachable() {
    String emulator = firestore.getOptions().getEmulatorHost();
    return "check that Firestore is reachable from here: the network, and "
        + (emulator == null ? "any proxy" : "FIRESTORE_EMULATOR_HOST (" + emulator + ")");
  }
}
