package io.batchdrop.validation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines on LF with one reusable buffer that never grows past the longest line
 * allowed. A longer line is read to its end without being kept: only its length is known. After
 * {@link #next()} returns true the current line is {@code buffer()[start(), start() + length())},
 * without its CR LF or LF terminator, valid until the next call.
 */
final class LineReader {

  private static final int INITIAL_CAPACITY = 256 * 1024;
  private static final int READ_AHEAD = 64 * 1024;

  private final InputStream in;
  private final int maxLineBytes;
  private final int maxCapacity;

  private byte[] buf;
  private int lineStart;
  private int scanPos;
  private int limit;
  private boolean eof;
  private long bytesRead;
  private long generation;

  private long lineNumber;
  private int start;
  private int length;
  private long rawLength;
  private boolean tooLong;
  private boolean endsWithCr;
  private boolean endsWithLf;
  private boolean nonAscii;
  private int firstInvalidUtf8;

  LineReader(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
    // A held line is at most maxLineBytes + CR; keep room to read behind it.
    long max = (long) maxLineBytes + 1 + READ_AHEAD;
    this.maxCapacity = (int) Math.min(Integer.MAX_VALUE - 8, max);
    this.buf = new byte[Math.min(INITIAL_CAPACITY, maxCapacity)];
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    if (eof && lineStart >= limit) {
      return false;
    }
    boolean sawNonAscii = false;
    int invalidAt = -1; // first byte breaking UTF-8, relative to lineStart
    boolean discarding = false;
    long discarded = 0;
    byte lastDiscarded = 0;
    while (true) {
      int end = limit;
      int lf = end;
      if (discarding || invalidAt >= 0) {
        // Past the first invalid byte only the LF matters.
        long scan = Bytes.scanToLf(buf, scanPos, end);
        lf = (int) scan;
        sawNonAscii |= (scan & Bytes.NOT_PLAIN) != 0;
        scanPos = end;
      } else {
        long scan = Utf8.scanLine(buf, scanPos, end, eof);
        int at = (int) scan;
        long stop = scan & Utf8.STOP;
        sawNonAscii |= (scan & Utf8.NON_ASCII) != 0;
        if (stop == Utf8.LF) {
          lf = at;
        } else if (stop == Utf8.INVALID) {
          invalidAt = at - lineStart;
          scanPos = at + 1;
          continue;
        } else {
          // An incomplete sequence is scanned again once more bytes are in.
          scanPos = stop == Utf8.INCOMPLETE ? at : end;
        }
      }
      if (lf < end) {
        finishLine(lineStart, lf, discarding, discarded, lastDiscarded, sawNonAscii, invalidAt);
        endsWithLf = true;
        lineStart = lf + 1;
        scanPos = lf + 1;
        return true;
      }
      int pending = end - lineStart;
      if (!discarding && pending > maxLineBytes + 1) {
        discarding = true;
      }
      if (discarding) {
        discarded += pending;
        if (pending > 0) {
          lastDiscarded = buf[end - 1];
        }
        lineStart = scanPos = limit = 0;
        generation++;
      }
      if (eof) {
        if (limit > lineStart || discarding) {
          finishLine(
              lineStart, limit, discarding, discarded, lastDiscarded, sawNonAscii, invalidAt);
          endsWithLf = false;
          lineStart = scanPos = limit;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void finishLine(
      int from,
      int to,
      boolean discarding,
      long discarded,
      byte lastDiscarded,
      boolean sawNonAscii,
      int invalidAt) {
    lineNumber++;
    nonAscii = sawNonAscii;
    firstInvalidUtf8 = invalidAt >= 0 && !discarding ? from + invalidAt : -1;
    if (discarding) {
      long total = discarded + (to - from);
      byte last = to > from ? buf[to - 1] : lastDiscarded;
      endsWithCr = total > 0 && last == '\r';
      rawLength = endsWithCr ? total - 1 : total;
      tooLong = true;
      start = from;
      length = 0;
      return;
    }
    endsWithCr = to > from && buf[to - 1] == '\r';
    int len = endsWithCr ? to - from - 1 : to - from;
    start = from;
    length = len;
    rawLength = len;
    tooLong = len > maxLineBytes;
  }

  /**
   * Moves the unfinished line to the front, grows the buffer when the line needs it, reads more.
   */
  private void fill() throws IOException {
    if (lineStart > 0) {
      int pending = limit - lineStart;
      System.arraycopy(buf, lineStart, buf, 0, pending);
      scanPos -= lineStart;
      limit = pending;
      lineStart = 0;
      generation++;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxCapacity));
      generation++;
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
      bytesRead += n;
    }
  }

  byte[] buffer() {
    return buf;
  }

  int start() {
    return start;
  }

  /**
   * Index just past the held line's terminator (its LF), where the next line starts; the end of the
   * buffered bytes for a last line without LF.
   */
  int lineEnd() {
    return lineStart;
  }

  /**
   * End of the bytes read into {@link #buffer()}; every byte before it stays where it is until the
   * {@link #generation()} changes.
   */
  int bufferedEnd() {
    return limit;
  }

  /**
   * Changes whenever bytes already read move within the buffer or to a new one, so that anything
   * reading the buffer beyond the held line (a parser over the following lines) knows its view is
   * stale.
   */
  long generation() {
    return generation;
  }

  /** Bytes of the held line; 0 when {@link #tooLong()} and the line was not kept. */
  int length() {
    return length;
  }

  /** Length of the line in bytes, also when it was too long to keep. */
  long rawLength() {
    return rawLength;
  }

  boolean tooLong() {
    return tooLong;
  }

  /** The line ended with a CR, before its LF or, on the last line, before the end of the file. */
  boolean endsWithCr() {
    return endsWithCr;
  }

  /** The line ended with LF; false only for a last line that runs to the end of the file. */
  boolean endsWithLf() {
    return endsWithLf;
  }

  /**
   * True when the line has a byte of 0x80 or more or a NUL, so it needs the full check of {@link
   * Utf8#firstInvalid}; every other line is ASCII without NUL, valid UTF-8 as it is.
   */
  boolean needsUtf8Check() {
    return nonAscii;
  }

  /**
   * Index in {@link #buffer()} of the held line's first byte that breaks UTF-8 or is NUL, as {@link
   * Utf8#firstInvalid} finds it, or -1: checked while the line end was searched for.
   */
  int firstInvalidUtf8() {
    return firstInvalidUtf8;
  }

  long lineNumber() {
    return lineNumber;
  }

  long bytesRead() {
    return bytesRead;
  }
}
