package io.batchdrop.testing;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * The run and job documents the functions keep in Firestore ({@code runs/{runId}}, {@code
 * jobs/{jobId}} with its {@code runId}), read the way a test checks them: one place for the
 * collection names and the query, shared by every module's fixture.
 */
public final class RunDocuments {
  private RunDocuments() {}

  /** {@code runs/{runId}}; a snapshot that does not exist when the run was never claimed. */
  public static DocumentSnapshot run(LocalCloud cloud, String runId)
      throws InterruptedException, ExecutionException {
    return cloud.firestore().collection("runs").document(runId).get().get();
  }

  /** Every job document of the run, attempts included, in no particular order. */
  public static List<QueryDocumentSnapshot> jobs(LocalCloud cloud, String runId)
      throws InterruptedException, ExecutionException {
    return cloud
        .firestore()
        .collection("jobs")
        .whereEqualTo("runId", runId)
        .get()
        .get()
        .getDocuments();
  }
}
