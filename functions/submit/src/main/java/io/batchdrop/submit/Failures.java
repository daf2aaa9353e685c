package io.batchdrop.submit;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.storage.StorageException;
import io.batchdrop.cloud.jobs.CreateFailure;
import io.batchdrop.cloud.run.RunDoc;
import io.grpc.Status;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a problem a retry cannot fix from one it can, whatever the clients wrapped it in (the
 * storage read channel wraps a 404 in an {@code IOException}; Firestore wraps its status in an
 * {@code ExecutionException} around a {@code FirestoreException}). {@code submit} ends the run on
 * the first kind and asks for a redelivery only on the second.
 */
final class Failures {
  /** Codes no retry changes: the request itself is wrong (too large, malformed). */
  private static final Set<StatusCode.Code> PERMANENT_CODES =
      Set.of(StatusCode.Code.INVALID_ARGUMENT, StatusCode.Code.OUT_OF_RANGE);

  private static final int MAX_CAUSES = 32;

  private Failures() {}

  /** True when a Cloud Storage 404 is anywhere in the chain. */
  static boolean isStorageNotFound(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (t instanceof StorageException storage && storage.getCode() == 404) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why {@code error} is permanent, in words for the run's reason; empty when a retry may succeed
   * (unavailable, deadline, quota, permission an operator can grant).
   */
  static Optional<String> permanentReason(Throwable error) {
    if (isClosedTransaction(error)) {
      return Optional.empty();
    }
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (t instanceof CreateFailure create) {
        // JobCreator has decided: a failure it gave up on may hide a created job, whatever code
        // the last answer (a lookup, say) carried.
        return create.permanent()
            ? Optional.of("the job could not be created: " + bounded(create.getMessage()))
            : Optional.empty();
      }
      if (t instanceof ApiException api
          && PERMANENT_CODES.contains(api.getStatusCode().getCode())) {
        return Optional.of(api.getStatusCode().getCode() + ": " + bounded(api.getMessage()));
      }
      if (t instanceof FirestoreException fe
          && fe.getStatus() != null
          && (fe.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
              || fe.getStatus().getCode() == Status.Code.OUT_OF_RANGE)) {
        return Optional.of(fe.getStatus().getCode() + ": " + bounded(fe.getMessage()));
      }
      if (t instanceof StorageException storage && storage.getCode() == 400) {
        return Optional.of("Cloud Storage 400: " + bounded(storage.getMessage()));
      }
    }
    return Optional.empty();
  }

  /**
   * True when the service refused a transaction it no longer has (expired, or closed by a commit
   * whose answer a reset connection lost, then sent again). Firestore says INVALID_ARGUMENT for it
   * ("Transaction is invalid or closed.", "The referenced transaction has expired or is no longer
   * valid."), and the client's transaction runner retries only the expired case; a redelivery
   * starts a new transaction and reads what the first one left. A write that is itself refused (a
   * document over the entity limit) names no transaction and stays permanent.
   */
  private static boolean isClosedTransaction(Throwable error) {
    int depth = 0;
    for (Throwable t = error; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
      if (t instanceof ApiException api
          && api.getStatusCode().getCode() == StatusCode.Code.INVALID_ARGUMENT
          && api.getMessage() != null
          && api.getMessage().toLowerCase(java.util.Locale.ROOT).contains("transaction")) {
        return true;
      }
    }
    return false;
  }

  /**
   * What a transient failure leaves on the run document: one more failure counted, and the error's
   * class and message (bounded) as the last one, which becomes the run's reason if the watchdog
   * ends it.
   */
  static Map<String, Object> transientRecord(Throwable error) {
    return Map.of(
        RunDoc.SUBMIT_FAILURES,
        FieldValue.increment(1),
        RunDoc.LAST_FAILURE,
        error.getClass().getSimpleName() + ": " + bounded(error.getMessage()));
  }

  /** A service message can quote the request; a reason stays short. */
  private static String bounded(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.length() <= 500 ? message : message.substring(0, 500) + "…";
  }
}
