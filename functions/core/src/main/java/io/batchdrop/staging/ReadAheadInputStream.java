package io.batchdrop.staging;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads another stream ahead on a thread of its own, so that waiting for the next bytes (a storage
 * download) overlaps working on the last ones. A fixed set of buffers goes back and forth between
 * the two threads: when all are filled the reading thread waits (backpressure), so memory stays at
 * {@code buffers × bufferBytes}. Every wait has a deadline, {@code stall}. A failure of the reading
 * thread is thrown by {@link #read} once the bytes before it are consumed, as an {@code
 * IOException} whose cause is the original, so a caller that classifies errors by their cause (a
 * storage 404 says the object is gone) decides as before. Not for use by several consumers.
 */
public final class ReadAheadInputStream extends InputStream {

  private final InputStream in;
  private final Duration stall;
  private final BlockingQueue<Chunk> free;
  private final BlockingQueue<Chunk> filled;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread reader;
  private Chunk current;
  private boolean ended;
  private boolean closed;

  /** A buffer and how much of it holds bytes; a chunk with an error or at the end holds none. */
  private static final class Chunk {
    final byte[] bytes;
    int length;
    int position;
    boolean last;
    Throwable error;

    Chunk(int size) {
      bytes = new byte[size];
    }
  }

  /**
   * @param name the reading thread's name
   * @param buffers how many buffers exist (at least 2)
   * @param bufferBytes bytes per buffer; each read of the underlying stream asks for a whole one
   * @param stall the longest either side waits for the other
   */
  public ReadAheadInputStream(
      InputStream in, String name, int buffers, int bufferBytes, Duration stall) {
    this.in = Objects.requireNonNull(in, "in");
    this.stall = Objects.requireNonNull(stall, "stall");
    if (buffers < 2 || bufferBytes < 1) {
      throw new IllegalArgumentException(
          "expected at least 2 buffers of at least 1 byte, got " + buffers + " of " + bufferBytes);
    }
    this.free = new ArrayBlockingQueue<>(buffers);
    this.filled = new ArrayBlockingQueue<>(buffers + 1);
    for (int i = 0; i < buffers; i++) {
      free.add(new Chunk(bufferBytes));
    }
    this.reader = new Thread(this::readAhead, name);
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new IOException("the stream is closed");
    }
    if (len == 0) {
      return 0;
    }
    while (current == null || current.position == current.length) {
      if (ended) {
        return -1;
      }
      if (current != null) {
        current.position = current.length = 0;
        free.offer(current);
        current = null;
      }
      Chunk next = take();
      if (next.error != null) {
        ended = true;
        Throwable t = next.error;
        if (t instanceof Error error) {
          throw error;
        }
        throw new IOException("reading ahead failed: " + t.getMessage(), t);
      }
      if (next.last && next.length == 0) {
        ended = true;
        return -1;
      }
      ended = next.last;
      current = next;
    }
    int n = Math.min(len, current.length - current.position);
    System.arraycopy(current.bytes, current.position, b, off, n);
    current.position += n;
    return n;
  }

  /** Stops the reading thread (waiting at most a stall for it) and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    reader.interrupt();
    try {
      stopped.await(stall.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      in.close();
    }
  }

  private Chunk take() throws IOException {
    try {
      Chunk next = filled.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        throw new IOException(
            "no bytes arrived for " + stall + "; expected the underlying stream to deliver");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for bytes", e);
    }
  }

  private void readAhead() {
    try {
      while (true) {
        Chunk chunk = free.poll(stall.toMillis(), TimeUnit.MILLISECONDS);
        if (chunk == null) {
          return; // the consumer stopped reading without closing: give up quietly
        }
        int n = in.readNBytes(chunk.bytes, 0, chunk.bytes.length);
        chunk.length = n;
        chunk.last = n < chunk.bytes.length;
        filled.add(chunk);
        if (chunk.last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // closed
    } catch (Throwable t) {
      Chunk failed = new Chunk(0);
      failed.error = t;
      filled.offer(failed); // there is always room: one more place than buffers
    } finally {
      stopped.countDown();
    }
  }
}
