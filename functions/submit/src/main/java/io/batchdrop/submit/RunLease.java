package io.batchdrop.submit;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunState;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This invocation's ownership of one run. The run is claimed with {@code create()}, so exactly one
 * invocation starts it; a lease with a heartbeat lets a later delivery take over a run whose owner
 * died. Every update goes through a transaction that checks the owner, so a stalled former owner
 * can never overwrite the new owner's state.
 */
final class RunLease implements AutoCloseable {
  private final Firestore firestore;
  private final DocumentReference run;
  private final String owner = UUID.randomUUID().toString();
  private final Duration duration;
  private final Clock clock;
  private ScheduledExecutorService heartbeat;

  RunLease(Firestore firestore, String runId, Duration duration, Clock clock) {
    this.firestore = firestore;
    this.run = firestore.collection(RunDoc.COLLECTION).document(runId);
    this.duration = duration;
    this.clock = clock;
  }

  /** This invocation's id, also the owner of the create claims it takes. */
  String owner() {
    return owner;
  }

  /** Claims the run with the given initial document, or reports who has it. */
  RunClaim claim(Map<String, Object> initialRun) throws InterruptedException, ExecutionException {
    Map<String, Object> doc = new HashMap<>(initialRun);
    doc.put("lease", Map.of("owner", owner, "expiresAt", expiry()));
    try {
      run.create(doc).get();
      return new RunClaim(RunClaim.Outcome.CLAIMED, run.get().get());
    } catch (ExecutionException e) {
      if (!FirestoreErrors.isAlreadyExists(e)) {
        throw e;
      }
    }
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(run).get();
              RunState state = RunState.valueOf(current.getString(RunDoc.STATE));
              if (state.isPastSubmit()) {
                return new RunClaim(RunClaim.Outcome.DONE, current);
              }
              if (owner.equals(current.getString(RunDoc.LEASE_OWNER))) {
                // The create committed although its answer was lost: the run is ours from the
                // start.
                return new RunClaim(RunClaim.Outcome.CLAIMED, current);
              }
              Timestamp expiresAt = current.getTimestamp(RunDoc.LEASE_EXPIRES_AT);
              if (expiresAt != null && Timestamps.toInstant(expiresAt).isAfter(clock.instant())) {
                return new RunClaim(RunClaim.Outcome.BUSY, current);
              }
              tx.update(
                  run,
                  RunDoc.LEASE_OWNER,
                  owner,
                  RunDoc.LEASE_EXPIRES_AT,
                  expiry(),
                  RunDoc.UPDATED_AT,
                  now());
              return new RunClaim(RunClaim.Outcome.TAKEN_OVER, current);
            })
        .get();
  }

  /** Keeps the lease alive while this invocation works. */
  void startHeartbeat() {
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "run-lease-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, duration.toMillis() / 3);
    heartbeat.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  private void renew() {
    try {
      update(Map.of(RunDoc.LEASE_EXPIRES_AT, expiry()));
    } catch (RuntimeException e) {
      // A missed renewal only shortens the lease; the next one or the owner check decides.
    }
  }

  /** Applies the updates if this invocation still owns the run. */
  void update(Map<String, Object> fields) {
    Map<String, Object> withTime = new HashMap<>(fields);
    withTime.put(RunDoc.UPDATED_AT, now());
    try {
      boolean owned =
          firestore
              .runTransaction(
                  tx -> {
                    DocumentSnapshot current = tx.get(run).get();
                    if (!owner.equals(current.getString(RunDoc.LEASE_OWNER))) {
                      return false;
                    }
                    tx.update(run, withTime);
                    return true;
                  })
              .get();
      if (!owned) {
        throw new LeaseLostException(run.getId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted updating run " + run.getId(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot update run " + run.getId() + ": " + e.getCause(), e);
    }
  }

  /**
   * Writes the run's final fields for this step of its life and gives the lease up. The heartbeat
   * stops first, so no late renewal can extend a lease that was given up.
   */
  void complete(Map<String, Object> fields) {
    stopHeartbeat();
    Map<String, Object> done = new HashMap<>(fields);
    done.put(RunDoc.LEASE_EXPIRES_AT, now());
    update(done);
  }

  /** Lets the next delivery of this event take over at once, after this invocation failed. */
  void release() {
    stopHeartbeat();
    try {
      update(Map.of(RunDoc.LEASE_EXPIRES_AT, Timestamp.ofTimeSecondsAndNanos(0, 0)));
    } catch (RuntimeException e) {
      // The lease then simply runs out.
    }
  }

  @Override
  public void close() {
    stopHeartbeat();
  }

  private void stopHeartbeat() {
    if (heartbeat != null) {
      heartbeat.shutdownNow();
      try {
        heartbeat.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Timestamp expiry() {
    return Timestamps.of(clock.instant().plus(duration));
  }

  private Timestamp now() {
    return Timestamps.of(clock.instant());
  }
}
