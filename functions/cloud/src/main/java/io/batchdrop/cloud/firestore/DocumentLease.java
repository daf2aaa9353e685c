package io.batchdrop.cloud.firestore;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One invocation's ownership of one Firestore document: {@code submit} holds it on {@code
 * runs/{runId}}, {@code publish} on {@code jobs/{jobId}}. The lease ({@code lease.owner}, {@code
 * lease.expiresAt}) is taken with {@code create()} or in a transaction, kept alive by a heartbeat,
 * taken over by a later delivery once it has expired, and given up when the work is done. Every
 * update goes through a transaction that checks the owner, so a stalled former owner can never
 * overwrite the new owner's state: it gets {@link LeaseLostException} instead.
 */
public final class DocumentLease implements AutoCloseable {
  public static final String OWNER = "lease.owner";
  public static final String EXPIRES_AT = "lease.expiresAt";
  private static final Timestamp EPOCH = Timestamp.ofTimeSecondsAndNanos(0, 0);

  private final Firestore firestore;
  private final DocumentReference doc;
  private final String owner = UUID.randomUUID().toString();
  private final Duration duration;
  private final Clock clock;
  private ScheduledExecutorService heartbeat;

  public DocumentLease(Firestore firestore, DocumentReference doc, Duration duration, Clock clock) {
    this.firestore = firestore;
    this.doc = doc;
    this.duration = duration;
    this.clock = clock;
  }

  /** This invocation's id, also the owner of the create claims it takes. */
  public String owner() {
    return owner;
  }

  public DocumentReference document() {
    return doc;
  }

  /**
   * Creates the document with the lease held, or, when it exists, decides as {@link #acquire} does.
   * A create whose answer was lost but which committed is recognised as this lease's own.
   */
  public LeaseClaim create(Map<String, Object> initial, Predicate<DocumentSnapshot> done)
      throws InterruptedException, ExecutionException {
    Map<String, Object> fields = new HashMap<>(initial);
    fields.put("lease", Map.of("owner", owner, "expiresAt", expiry()));
    try {
      doc.create(fields).get();
      return new LeaseClaim(LeaseClaim.Outcome.CLAIMED, doc.get().get());
    } catch (ExecutionException e) {
      if (!FirestoreErrors.isAlreadyExists(e)) {
        throw e;
      }
    }
    return acquire(done);
  }

  /**
   * Takes the lease on an existing document unless {@code done} says there is nothing left to do or
   * another owner's lease is still live. A missing document is {@link LeaseClaim.Outcome#GONE}.
   */
  public LeaseClaim acquire(Predicate<DocumentSnapshot> done)
      throws InterruptedException, ExecutionException {
    return firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(doc).get();
              LeaseClaim.Outcome outcome = decide(current, owner, clock.instant(), done);
              if (outcome == LeaseClaim.Outcome.CLAIMED
                  || outcome == LeaseClaim.Outcome.TAKEN_OVER) {
                if (!owner.equals(FieldTypes.string(current, OWNER))) {
                  tx.update(doc, OWNER, owner, EXPIRES_AT, expiry());
                }
              }
              return new LeaseClaim(outcome, current);
            })
        .get();
  }

  /** The claim rules, apart from Firestore so they read (and are tested) as a table. */
  static LeaseClaim.Outcome decide(
      DocumentSnapshot current, String owner, Instant now, Predicate<DocumentSnapshot> done) {
    if (!current.exists()) {
      return LeaseClaim.Outcome.GONE;
    }
    // Lease fields of another type (an edit by hand) hold no lease: the claim rewrites them.
    Timestamp expiresAt = FieldTypes.timestamp(current, EXPIRES_AT);
    return LeaseRules.decide(
        done.test(current),
        FieldTypes.string(current, OWNER),
        expiresAt == null ? null : Timestamps.toInstant(expiresAt),
        owner,
        now);
  }

  /** Keeps the lease alive while this invocation works. */
  public void startHeartbeat() {
    heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lease-heartbeat-" + doc.getId());
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, duration.toMillis() / 3);
    heartbeat.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * Renews the lease if this invocation still owns it: before a step that undoes work (deleting
   * staged shards, announcing a rejection), which an owner whose lease ran out while it worked must
   * not do to the invocation that took over. Renewed, the lease holds for its full duration.
   *
   * @throws LeaseLostException when another invocation took the lease over
   */
  public void confirm() {
    update(Map.of(EXPIRES_AT, expiry()));
  }

  private void renew() {
    try {
      update(Map.of(EXPIRES_AT, expiry()));
    } catch (RuntimeException e) {
      // A missed renewal only shortens the lease; the next one or the owner check decides.
    }
  }

  /**
   * Applies the updates (with {@code updatedAt}) if this invocation still owns the document.
   *
   * @throws LeaseLostException when another invocation took the lease over
   */
  public void update(Map<String, Object> fields) {
    Map<String, Object> withTime = new HashMap<>(fields);
    withTime.put("updatedAt", Timestamps.of(clock.instant()));
    boolean owned;
    try {
      owned =
          firestore
              .runTransaction(
                  tx -> {
                    DocumentSnapshot current = tx.get(doc).get();
                    if (!owner.equals(FieldTypes.string(current, OWNER))) {
                      return false;
                    }
                    tx.update(doc, withTime);
                    return true;
                  })
              .get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted updating " + doc.getPath(), e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new LeaseUpdateException(doc.getPath(), e);
    }
    if (!owned) {
      throw new LeaseLostException(doc.getPath());
    }
  }

  /**
   * Writes the fields that end this invocation's part and gives the lease up. The heartbeat stops
   * first, so no late renewal can extend a lease that was given up.
   */
  public void complete(Map<String, Object> fields) {
    stopHeartbeat();
    Map<String, Object> done = new HashMap<>(fields);
    done.put(EXPIRES_AT, Timestamps.of(clock.instant()));
    update(done);
  }

  /** Lets the next delivery take over at once, after this invocation failed. */
  public void release() {
    release(Map.of());
  }

  /**
   * Like {@link #release()}, writing {@code fields} (what the failure leaves on record) in the same
   * update; if the write fails the lease simply runs out and the fields are not written.
   */
  public void release(Map<String, Object> fields) {
    stopHeartbeat();
    Map<String, Object> released = new HashMap<>(fields);
    released.put(EXPIRES_AT, EPOCH);
    try {
      update(released);
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
}
