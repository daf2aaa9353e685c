package io.batchdrop.cloud.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.Status;

/** Reads the gRPC code out of whatever the Firestore client threw (it wraps them in layers). */
public final class FirestoreErrors {
  private FirestoreErrors() {}

  public static boolean isAlreadyExists(Throwable error) {
    return is(error, StatusCode.Code.ALREADY_EXISTS, Status.Code.ALREADY_EXISTS);
  }

  /** A write whose precondition (say the document's update time) did not hold. */
  public static boolean isFailedPrecondition(Throwable error) {
    return is(error, StatusCode.Code.FAILED_PRECONDITION, Status.Code.FAILED_PRECONDITION);
  }

  private static boolean is(Throwable error, StatusCode.Code code, Status.Code status) {
    for (Throwable t = error; t != null; t = t.getCause()) {
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
