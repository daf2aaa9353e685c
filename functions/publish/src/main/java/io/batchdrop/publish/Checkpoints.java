package io.batchdrop.publish;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Writes publish's progress behind its reading (design §6). At the end of window N the progress is
 * copied and the publisher's stream marked; one thread waits for every message sent before the mark
 * to be confirmed and only then writes that copy (owner-checked), while reading goes on with window
 * N+1. When window N+1 ends, window N's checkpoint must be written before N+1's is started: one in
 * flight, written in order, never past an unconfirmed message. So a crash repeats at most two
 * windows: the one whose checkpoint was in flight and the one being read.
 *
 * <p>Failures of the checkpoint thread (a lost lease, a refused or unconfirmed publish, Firestore
 * unavailable) are thrown, as they were, to the reading thread at its next checkpoint.
 */
final class Checkpoints implements AutoCloseable {

  /** The checkpoint thread's two deadlines (confirmations, then the write) with room to spare. */
  private static final Duration IN_FLIGHT_DEADLINE = Duration.ofSeconds(240);

  private final ResultSender sender;
  private final Consumer<Map<String, Object>> store;
  private final CheckpointTimes times;
  private final ExecutorService thread;
  private Future<?> inFlight;

  /**
   * @param store writes the fields, owner-checked ({@link CheckpointStore}, or {@code
   *     DocumentLease#update}); it has its own deadline
   */
  Checkpoints(
      ResultSender sender,
      Consumer<Map<String, Object>> store,
      CheckpointTimes times,
      String jobId) {
    this.sender = sender;
    this.store = store;
    this.times = times;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "publish-checkpoint-" + jobId);
              t.setDaemon(true);
              return t;
            });
  }

  /** The end of a window: the previous checkpoint is written first, this one behind reading. */
  void behind(Progress p) throws InterruptedException {
    settle();
    Map<String, Object> fields = p.fields();
    long mark = sender.mark();
    inFlight =
        thread.submit(
            () -> {
              long start = System.nanoTime();
              sender.awaitConfirmed(mark);
              long confirmed = System.nanoTime();
              store.accept(fields);
              times.written(confirmed - start, System.nanoTime() - confirmed);
              return null;
            });
  }

  /** Everything so far confirmed and written before this returns: a phase's end, out of time. */
  void now(Progress p) throws InterruptedException {
    long start = System.nanoTime();
    settle();
    sender.flush();
    long confirmed = System.nanoTime();
    store.accept(p.fields());
    long written = System.nanoTime();
    times.written(confirmed - start, written - confirmed);
    times.stalled(written - start);
  }

  /** Waits until the checkpoint in flight, if any, is written; throws what stopped it. */
  void settle() throws InterruptedException {
    if (inFlight == null) {
      return;
    }
    long start = System.nanoTime();
    Future<?> waited = inFlight;
    inFlight = null;
    try {
      waited.get(IN_FLIGHT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IllegalStateException("the checkpoint failed: " + cause, cause);
    } catch (TimeoutException e) {
      waited.cancel(true);
      throw new IllegalStateException(
          "a window's checkpoint was not confirmed and written within " + IN_FLIGHT_DEADLINE, e);
    } finally {
      times.stalled(System.nanoTime() - start);
    }
  }

  /**
   * Stops the checkpoint thread; a checkpoint still in flight is abandoned (the last written
   * holds).
   */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
