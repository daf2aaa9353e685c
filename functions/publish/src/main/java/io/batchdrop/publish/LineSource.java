package io.batchdrop.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Cuts a byte stream into LF-terminated lines with one fixed buffer, knowing the file offset of
 * every byte, and hands each line to a parser as its own {@link InputStream} that ends at the LF. A
 * line never reaches into the next one, so a broken line costs only itself.
 *
 * <p>While a capture is on, every byte the parser has been handed from the capture's start is
 * copied to the capture's stream before the parser is handed more, and {@link #endCapture} copies
 * the rest up to an exact end. This copies the response as raw bytes while the parser tokenizes it:
 * the parser only skips its strings, so none of them is ever materialized. It works because a
 * parser asks for more input only once it has consumed what it holds, and everything it consumed
 * while inside the response belongs to the response; the last {@link #KEEP} bytes handed out stay
 * in the buffer, more than a Jackson parser ever holds unconsumed, so a capture can start at a
 * token the parser has already read.
 */
final class LineSource {

  static final int KEEP = 32 * 1024;
  private static final int CHUNK = 192 * 1024;

  private final InputStream in;
  private final byte[] buf = new byte[KEEP + CHUNK];
  private final LineStream line = new LineStream();
  private long base;
  private int pos;
  private int lim;
  private boolean eof;

  private boolean lineEnded = true;
  private long handedEnd;
  private OutputStream capture;
  private long captureFrom;

  LineSource(InputStream in, long startOffset) {
    this.in = in;
    this.base = startOffset;
  }

  /** The file offset of the next byte not yet consumed: where the next line starts. */
  long offset() {
    return base + pos;
  }

  /** True when no byte is left. */
  boolean atEnd() throws IOException {
    return pos == lim && !refill();
  }

  /**
   * Consumes spaces, tabs and CRs and returns the next byte without consuming it, or -1 at the end
   * of the stream.
   */
  int skipSpaces() throws IOException {
    while (true) {
      if (pos == lim && !refill()) {
        return -1;
      }
      byte b = buf[pos];
      if (b != ' ' && b != '\t' && b != '\r') {
        return b & 0xff;
      }
      pos++;
    }
  }

  /**
   * Makes at least {@code ahead} bytes from the next unconsumed one available in {@link #buffer()},
   * as far as the stream has them and the buffer has room ({@code ahead} must be at most {@link
   * #CHUNK}); returns how many are, from {@link #position()}.
   */
  int fillAhead(int ahead) throws IOException {
    while (lim - pos < ahead && !eof && (lim < buf.length || pos > KEEP)) {
      if (!refill()) {
        break;
      }
    }
    return lim - pos;
  }

  /** The buffer; its bytes from {@link #position()} to {@link #limit()} are the next ones. */
  byte[] buffer() {
    return buf;
  }

  /** The buffer index of the next unconsumed byte. */
  int position() {
    return pos;
  }

  /** The buffer index past the last byte read from the stream. */
  int limit() {
    return lim;
  }

  /** True when the stream has ended: no byte comes after {@link #limit()}. */
  boolean exhausted() {
    return eof;
  }

  /**
   * Consumes a line read where it lies in the buffer, up to buffer index {@code next} (just past
   * its LF, or the limit at the end of the stream), without handing it out as a {@link #line()}.
   */
  void consumeInPlace(int next) {
    if (next < pos || next > lim) {
      throw new IllegalStateException(
          "a line read in place ends between " + pos + " and " + lim + "; got " + next);
    }
    pos = next;
    lineEnded = true;
    capture = null;
  }

  /** Ends the current {@link #line()}: consumes what the parser left of it, through its LF. */
  void finishLine() throws IOException {
    capture = null;
    if (!lineEnded) {
      skipLine();
    }
  }

  /** Consumes everything up to and including the next LF (or to the end of the stream). */
  void skipLine() throws IOException {
    lineEnded = true;
    capture = null;
    while (pos < lim || refill()) {
      int lf = indexOfLf(pos, lim);
      if (lf >= 0) {
        pos = lf + 1;
        return;
      }
      pos = lim;
    }
  }

  /** The current line, from the next byte to its LF (consumed, not handed out) or the end. */
  InputStream line() {
    lineEnded = false;
    handedEnd = offset();
    capture = null;
    return line;
  }

  /** Starts copying the current line's bytes from file offset {@code from}, a '{' already read. */
  void startCapture(long from, OutputStream to) {
    if (from < base || from >= handedEnd || buf[(int) (from - base)] != '{') {
      throw new IllegalStateException(
          "a capture must start at a '{' the parser has read and the buffer still holds; offset "
              + from
              + ", held "
              + base
              + ".."
              + handedEnd);
    }
    capture = to;
    captureFrom = from;
  }

  /** Copies the rest of the capture up to file offset {@code end} (exclusive) and stops it. */
  void endCapture(long end) throws IOException {
    if (capture == null || end < captureFrom || end > handedEnd) {
      throw new IllegalStateException(
          "a capture must end at a byte the parser has read; offset "
              + end
              + ", capture at "
              + captureFrom
              + ", read up to "
              + handedEnd);
    }
    OutputStream to = capture;
    capture = null;
    if (end > captureFrom) {
      to.write(buf, (int) (captureFrom - base), (int) (end - captureFrom));
    }
  }

  /** Stops a capture without copying more (the line broke off). */
  void cancelCapture() {
    capture = null;
  }

  private void flushCapture() throws IOException {
    if (capture != null && handedEnd > captureFrom) {
      capture.write(buf, (int) (captureFrom - base), (int) (handedEnd - captureFrom));
      captureFrom = handedEnd;
    }
  }

  /**
   * Reads more into the buffer, keeping the last {@link #KEEP} consumed bytes; false at the end.
   */
  private boolean refill() throws IOException {
    if (eof) {
      return false;
    }
    int keepFrom = Math.max(0, pos - KEEP);
    if (keepFrom > 0) {
      System.arraycopy(buf, keepFrom, buf, 0, lim - keepFrom);
      base += keepFrom;
      pos -= keepFrom;
      lim -= keepFrom;
    }
    while (true) {
      int n = in.read(buf, lim, buf.length - lim);
      if (n < 0) {
        eof = true;
        return false;
      }
      if (n > 0) {
        lim += n;
        return true;
      }
    }
  }

  private int indexOfLf(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private final class LineStream extends InputStream {

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (lineEnded) {
        return -1;
      }
      // Before the buffer moves: everything handed out so far is consumed by the parser.
      flushCapture();
      if (pos == lim && !refill()) {
        lineEnded = true;
        return -1;
      }
      int end = Math.min(lim, pos + len);
      int lf = indexOfLf(pos, end);
      int n = (lf >= 0 ? lf : end) - pos;
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      handedEnd = base + pos;
      if (lf >= 0) {
        pos++;
        lineEnded = true;
        return n > 0 ? n : -1;
      }
      return n;
    }

    @Override
    public void close() {
      // The source outlives every line; PredictionReader closes the underlying stream.
    }
  }
}
