package io.batchdrop.cli;

import io.batchdrop.validation.LineListener;
import java.io.PrintStream;

/** "validating: 512 MB (43%)…" on stderr, rewritten in place with a carriage return. */
final class ProgressLine implements LineListener {
  private static final long MB = 1L << 20;
  private static final long NANOS_BETWEEN_UPDATES = 200_000_000L;

  private final PrintStream err;
  private final long totalBytes;
  private long lastUpdate = Long.MIN_VALUE;
  private int lastWidth;

  /** totalBytes may be -1 (standard input): then no percentage. */
  ProgressLine(PrintStream err, long totalBytes) {
    this.err = err;
    this.totalBytes = totalBytes;
  }

  @Override
  public void onProgress(long bytesRead) {
    long now = System.nanoTime();
    if (lastUpdate != Long.MIN_VALUE && now - lastUpdate < NANOS_BETWEEN_UPDATES) {
      return;
    }
    lastUpdate = now;
    String text =
        "validating: "
            + bytesRead / MB
            + " MB"
            + (totalBytes > 0 ? " (" + Math.min(100, bytesRead * 100 / totalBytes) + "%)" : "")
            + "…";
    err.print("\r" + text + " ".repeat(Math.max(0, lastWidth - text.length())));
    err.flush();
    lastWidth = text.length();
  }

  /** A progress line for a large input when a person watches stderr, else null. */
  static ProgressLine forInput(Main.Io io, InputFile input) {
    return io.progress() && input.size() >= ValidateCommand.PROGRESS_MIN_BYTES
        ? new ProgressLine(io.err(), input.size())
        : null;
  }

  /** The listener, with the progress line beside it when there is one. */
  static LineListener with(LineListener listener, ProgressLine progress) {
    return progress == null ? listener : LineListener.both(listener, progress);
  }

  static void clear(ProgressLine progress) {
    if (progress != null) {
      progress.clear();
    }
  }

  /** Removes the line, so what follows starts on a clean line. */
  void clear() {
    if (lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      err.flush();
      lastWidth = 0;
    }
  }
}
