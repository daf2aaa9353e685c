package io.batchdrop.staging;

import io.batchdrop.validation.Finding;
import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineLayout;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestCounts;
import io.batchdrop.validation.ValidLine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Passes lines to another {@link LineListener} on a thread of its own, so that what the listener
 * does with them (staging: re-encoding and uploading) overlaps validating the next ones. Lines are
 * copied into a fixed set of batches that go back and forth between the two threads: when every
 * batch is full the validator waits (backpressure), so memory stays at {@code batches × batchBytes}
 * (a batch grows only to hold one line larger than that). The downstream listener sees every
 * callback in file order, on one thread, and needs no locking.
 *
 * <p>Every wait has a deadline, {@code stall}. A failure of the downstream listener is thrown by
 * the next callback or by {@link #finish()}, as an {@code IOException} whose cause is the original,
 * so a caller that classifies errors by their cause (a storage 404, a 400) decides as before. Call
 * {@link #finish()} when the last line has been passed, then read the downstream's results; {@link
 * #close()} without {@link #finish()} drops what was not passed on yet and stops the thread.
 */
public final class BackgroundListener implements LineListener, Closeable {

  private final LineListener downstream;
  private final Duration stall;
  private final int batches;
  private final int batchBytes;
  private final BlockingQueue<Batch> free;
  private final BlockingQueue<Batch> full;
  private final Batch end = new Batch(0);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread worker;
  private volatile Throwable failure;
  private Batch current;
  private boolean finished;
  private boolean closed;

  /**
   * @param name the thread's name
   * @param batches how many batches exist (at least 2: one filling, one being passed on)
   * @param batchBytes bytes of line text per batch
   * @param stall the longest either side waits for the other
   */
  public BackgroundListener(
      LineListener downstream, String name, int batches, int batchBytes, Duration stall) {
    this.downstream = Objects.requireNonNull(downstream, "downstream");
    this.stall = Objects.requireNonNull(stall, "stall");
    if (batches < 2 || batchBytes < 1) {
      throw new IllegalArgumentException(
          "expected at least 2 batches of at least 1 byte, got " + batches + " of " + batchBytes);
    }
    this.batches = batches;
    this.batchBytes = batchBytes;
    this.free = new ArrayBlockingQueue<>(batches);
    this.full = new ArrayBlockingQueue<>(batches + 1);
    for (int i = 0; i < batches; i++) {
      free.add(new Batch(batchBytes));
    }
    this.worker = new Thread(this::work, name);
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void onValidLine(ValidLine line) throws IOException {
    batchFor(line.length()).add(line);
  }

  @Override
  public void onInvalidLine(InvalidLine line) throws IOException {
    batchFor(line.raw() == null ? 0 : line.raw().length).add(line);
  }

  @Override
  public void onProgress(long bytesRead) {
    if (current != null && failure == null) {
      current.entries.add(bytesRead);
    }
  }

  /**
   * Passes on what is left and waits until the downstream listener has seen every line; throws its
   * failure, if any.
   */
  public void finish() throws IOException {
    checkOpen();
    finished = true;
    if (current != null && !current.entries.isEmpty()) {
      handOff(current);
    }
    current = null;
    handOff(end);
    try {
      // Each batch may take up to a stall to pass on; more are never queued.
      if (!stopped.await(stall.toMillis() * (batches + 1), TimeUnit.MILLISECONDS)) {
        stop();
        throw new IOException(
            "the staging thread did not finish within its deadline; expected it to pass on every"
                + " line");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
      throw new IOException("interrupted while waiting for the staging thread", e);
    }
    throwIfFailed();
  }

  /**
   * Stops the thread, dropping what it has not passed on; waits (at most a stall) until it has
   * stopped, so nothing is written after this returns. After {@link #finish()} it does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (stopped.getCount() > 0) {
      stop();
    }
  }

  private void stop() {
    worker.interrupt();
    try {
      stopped.await(stall.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Batch batchFor(int bytes) throws IOException {
    checkOpen();
    throwIfFailed();
    if (current != null && !current.fits(bytes)) {
      handOff(current);
      current = null;
    }
    if (current == null) {
      current = await(free, "a free batch (the staging thread is behind)");
      throwIfFailed();
    }
    return current;
  }

  private void handOff(Batch batch) throws IOException {
    try {
      if (!full.offer(batch, stall.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException(
            "the staging thread took no batch for " + stall + "; expected it to keep up");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while handing lines to the staging thread", e);
    }
  }

  private Batch await(BlockingQueue<Batch> queue, String what) throws IOException {
    try {
      Batch batch = queue.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
      if (batch == null) {
        throwIfFailed();
        throw new IOException("waited " + stall + " for " + what + "; expected it sooner");
      }
      return batch;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  private void work() {
    try {
      while (true) {
        Batch batch = full.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
        if (batch == null) {
          throw new IOException(
              "no lines arrived for " + stall + "; expected the validator to keep reading");
        }
        if (batch == end) {
          return;
        }
        batch.replay(downstream);
        batch.clear(batchBytes);
        free.add(batch);
      }
    } catch (InterruptedException e) {
      // closed: what is left is dropped
    } catch (Throwable t) {
      failure = t;
      // Give the validator a batch back, so it meets the failure instead of waiting a stall.
      Batch spare;
      while ((spare = full.poll()) != null) {
        if (spare != end) {
          spare.clear(batchBytes);
          free.offer(spare);
        }
      }
      free.offer(new Batch(0));
    } finally {
      stopped.countDown();
    }
  }

  private void throwIfFailed() throws IOException {
    Throwable t = failure;
    if (t == null) {
      return;
    }
    if (t instanceof Error error) {
      throw error;
    }
    throw new IOException("staging failed: " + t.getMessage(), t);
  }

  private void checkOpen() {
    if (finished || closed) {
      throw new IllegalStateException("the background listener is already finished");
    }
  }

  /** A valid line's place in its batch's bytes. */
  private record Held(
      long row,
      String key,
      int offset,
      int length,
      List<Finding> warnings,
      LineLayout layout,
      RequestCounts counts) {}

  private static final class Batch {
    private byte[] data;
    private int used;
    private long weight; // bytes this batch holds on to, its invalid lines' included
    private final List<Object> entries = new ArrayList<>();

    Batch(int bytes) {
      data = new byte[bytes];
    }

    /** An empty batch takes a line of any size. */
    boolean fits(int bytes) {
      return weight + bytes <= data.length || entries.isEmpty();
    }

    void add(ValidLine line) {
      int n = line.length();
      if (used + n > data.length) {
        data = java.util.Arrays.copyOf(data, used + n);
      }
      System.arraycopy(line.buffer(), line.offset(), data, used, n);
      entries.add(
          new Held(line.row(), line.key(), used, n, line.warnings(), line.layout(), line.counts()));
      used += n;
      weight += n;
    }

    /** It holds its own copy of the bytes. */
    void add(InvalidLine line) {
      entries.add(line);
      weight += line.raw() == null ? 0 : line.raw().length;
    }

    void replay(LineListener to) throws IOException {
      for (Object e : entries) {
        if (e instanceof Held h) {
          to.onValidLine(
              new ValidLine(
                  h.row(),
                  h.key(),
                  data,
                  h.offset(),
                  h.length(),
                  h.warnings(),
                  h.layout(),
                  h.counts()));
        } else if (e instanceof InvalidLine invalid) {
          to.onInvalidLine(invalid);
        } else {
          to.onProgress((Long) e);
        }
      }
    }

    void clear(int bytes) {
      used = 0;
      weight = 0;
      entries.clear();
      if (data.length != bytes) {
        data = new byte[bytes]; // back to size after one long line
      }
    }
  }
}
