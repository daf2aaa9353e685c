package io.batchdrop.cloud.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.Status;

/** Reads the gRPC code out of whatever the Firestore client threw (it wraps them in layers). */
public final class FirestoreErrors {
  /** Causes looked through, so a cycle in a cause chain cannot loop. */
  private static final int MAX_CAUSES = 32;

  private FirestoreErrors() {}

  public static boolean isAlreadyExists(Throwable error) {
    return is(error, StatusCode.Code.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS);
  }

  /** A write whose precondition (say the document's update time) did not hold. */
  public static boolean isFailedPrecondition(Throwable error) {
    return is(error, StatusCode.Code.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION);
  }

  /**
   * Firestore gave up on a transaction for contention (ABORTED: "Transaction lock timeout", "too
   * many retries"): another transaction holds a document this one needs, often one whose client
   * went away mid-way (a reset connection, a killed instance), which keeps its locks until it ends
   * or idles out (60 s). It says someone else is at the document, not that anything is wrong.
   */
  public static boolean isContention(Throwable error) {
    return is(error, StatusCode.Code.ABORTED, Status.Code.ABORTED);
  }

  private static boolean is(Throwable error, StatusCode.Code code, Status.Code status) {
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (t instanceof ApiException api && api.getStatusCode().getCode() == code) {
        return true;
      }
      if (t instanceof FirestoreException fe
          && fe.getStatus() != null
          && fe.getStatus().getCode() == status) {
        return true;
      }
    }
    return false;
  }
}
