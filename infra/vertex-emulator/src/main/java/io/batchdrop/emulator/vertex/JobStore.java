package io.batchdrop.emulator.vertex;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Every job of the emulator, by id (ids grow, so id order is creation order). Thread-safe. */
final class JobStore {

  /** Real ids are long decimal strings; starting high makes them look the part. */
  private static final long FIRST_ID = 7_301_552_148_000_000_000L;

  private final AtomicLong nextId = new AtomicLong(FIRST_ID);
  private final TreeMap<Long, StoredJob> jobs = new TreeMap<>();

  /** Never reused, not even after {@link #clear()}, so a stale timer cannot touch a new job. */
  long newId() {
    return nextId.getAndIncrement();
  }

  synchronized void add(StoredJob job) {
    jobs.put(job.id(), job);
    notifyAll();
  }

  /** Waits until at least {@code count} jobs exist; false when the timeout passed first. */
  synchronized boolean awaitSize(int count, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (jobs.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  synchronized Optional<StoredJob> find(ResourceNames.JobKey key) {
    StoredJob job = jobs.get(key.id());
    return job != null && job.location().equals(key.location())
        ? Optional.of(job)
        : Optional.empty();
  }

  /** The job, or NOT_FOUND as Vertex answers for an unknown name. */
  synchronized StoredJob get(String name) {
    return find(ResourceNames.jobKey(name)).orElseThrow(() -> notFound(name));
  }

  /**
   * Applies {@code change} atomically. The change may throw a gRPC status to refuse; its result
   * replaces the job.
   */
  synchronized StoredJob change(String name, UnaryOperator<StoredJob> change) {
    StoredJob changed = change.apply(get(name));
    jobs.put(changed.id(), changed);
    return changed;
  }

  /** Applies {@code change} only if the job still exists at {@code expectedVersion}. */
  synchronized Optional<StoredJob> changeIfAt(
      long id, long expectedVersion, UnaryOperator<StoredJob> change) {
    StoredJob current = jobs.get(id);
    if (current == null || current.version() != expectedVersion) {
      return Optional.empty();
    }
    StoredJob changed = change.apply(current);
    jobs.put(id, changed);
    return Optional.of(changed);
  }

  /** Applies {@code change} whatever the job's version; nothing if the job is gone. */
  synchronized void update(long id, UnaryOperator<StoredJob> change) {
    StoredJob current = jobs.get(id);
    if (current != null) {
      jobs.put(id, change.apply(current));
    }
  }

  /** Removes the job after {@code precondition} accepted it (it throws a gRPC status to refuse). */
  synchronized StoredJob remove(String name, Consumer<StoredJob> precondition) {
    StoredJob job = get(name);
    precondition.accept(job);
    jobs.remove(job.id());
    return job;
  }

  synchronized List<StoredJob> all() {
    return new ArrayList<>(jobs.values());
  }

  synchronized void clear() {
    jobs.clear();
  }

  private static RuntimeException notFound(String name) {
    return Status.NOT_FOUND
        .withDescription("The BatchPredictionJob does not exist: " + name)
        .asRuntimeException();
  }
}
