package io.batchdrop.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;

/**
 * Receives the bytes of one response at a time: up to {@code inMemoryLimit} bytes are held in a
 * buffer that never grows past the limit; the first write that would pass it opens a spill, moves
 * what is held into it and sends the rest there, so no response larger than the limit is ever in
 * the heap. One sink serves a whole file, one response after another.
 */
final class ResponseSink extends OutputStream {

  private static final int INITIAL_CAPACITY = 8 * 1024;

  /** A buffer up to this size is kept for the next response; a larger one is dropped. */
  private static final int REUSED_CAPACITY = 256 * 1024;

  private final int inMemoryLimit;
  private final SpillTarget target;

  private byte[] buffer;
  private int held;
  private long length;
  private SpillTarget.Spill spill;
  private long lineOffset;
  private long row;
  private boolean open;
  private long peakHeld;

  ResponseSink(int inMemoryLimit, SpillTarget target) {
    if (inMemoryLimit < 1) {
      throw new IllegalArgumentException("the in-memory limit must be at least 1 byte");
    }
    this.inMemoryLimit = inMemoryLimit;
    this.target = target;
  }

  /** Starts a response; {@code row} is 0 when the line's row label is not known yet. */
  void begin(long lineOffset, long row) {
    this.lineOffset = lineOffset;
    this.row = row;
    this.held = 0;
    this.length = 0;
    this.spill = null;
    this.open = true;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (!open) {
      throw new IllegalStateException("no response is being written");
    }
    if (len == 0) {
      return;
    }
    length += len;
    if (spill == null && (long) held + len <= inMemoryLimit) {
      ensureCapacity(held + len);
      System.arraycopy(b, off, buffer, held, len);
      held += len;
      peakHeld = Math.max(peakHeld, buffer.length);
      return;
    }
    if (spill == null) {
      spill = target.open(lineOffset, row);
      if (held > 0) {
        spill.stream().write(buffer, 0, held);
      }
      // Dropped, not kept for the next response: the next one most likely fits in a small buffer.
      buffer = null;
      held = 0;
    }
    spill.stream().write(b, off, len);
  }

  /**
   * Ends the response. An in-memory one is copied out at its exact size and the buffer kept for the
   * next response (a fresh 8 KB buffer a row was most of the reader's allocation), unless it grew
   * past {@link #REUSED_CAPACITY}: then it is dropped, so one large response does not stay held.
   */
  Result finish() throws IOException {
    open = false;
    if (spill != null) {
      URI uri = spill.uri();
      spill.stream().close();
      spill = null;
      return new Result(null, length, uri);
    }
    byte[] bytes = buffer == null ? new byte[0] : Arrays.copyOf(buffer, held);
    if (buffer != null && buffer.length > REUSED_CAPACITY) {
      buffer = null;
    }
    held = 0;
    return new Result(bytes, length, null);
  }

  /**
   * Drops a response that did not end (the line broke off). A spill already open is closed: what it
   * holds is an orphan, whose URI is returned so the caller can say so; null when none.
   */
  URI abandon() {
    if (!open) {
      return null;
    }
    open = false;
    held = 0;
    if (spill == null) {
      return null;
    }
    URI uri = spill.uri();
    try {
      spill.stream().close();
    } catch (IOException e) {
      // The object is an orphan either way; the line's problem already names it.
    }
    spill = null;
    return uri;
  }

  /** A response of {@code length} bytes was held in memory outside this sink (read in place). */
  void noteHeld(int length) {
    peakHeld = Math.max(peakHeld, length);
  }

  boolean isOpen() {
    return open;
  }

  /** The most bytes of buffer this sink ever held at once; never more than the limit. */
  long peakBytesInMemory() {
    return peakHeld;
  }

  private void ensureCapacity(int needed) {
    if (buffer == null) {
      buffer = new byte[Math.min(inMemoryLimit, Math.max(INITIAL_CAPACITY, needed))];
    } else if (buffer.length < needed) {
      long grown = Math.max(needed, 2L * buffer.length);
      buffer = Arrays.copyOf(buffer, (int) Math.min(inMemoryLimit, grown));
    }
  }

  /**
   * A finished response: its bytes in memory ({@code bytes[0, length)}) or where it was spilled.
   */
  record Result(byte[] bytes, long length, URI spillUri) {}
}
