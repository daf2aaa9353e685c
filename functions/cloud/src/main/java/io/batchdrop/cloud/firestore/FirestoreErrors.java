package io.batchdrop.cloud.firestore;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FirestoreException;
import io.grpc.Status;

/** Reads the gRPC code out of whatever the Firestore client threw (it wraps them in layers). */
public final class FirestoreErrors {
  private FirestoreErrors() {}

  public static boolean isAlreadyExists(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.ALREADY_EXISTS) {
        return true;
      }
      if (t instanceof FirestoreException fe
          && fe.getStatus() != null
          && fe.getStatus().getCode() == Status.Code.ALREADY_EXISTS) {
        return true;
      }
    }
    return false;
  }
}
