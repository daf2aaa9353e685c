package io.batchdrop.validation;

import java.io.IOException;

/** Callbacks for each non-blank line, in file order. Byte arrays are only valid during the call. */
public interface LineListener {

  /** A listener that ignores everything, for callers that only need the report. */
  LineListener NONE = new LineListener() {};

  default void onValidLine(ValidLine line) throws IOException {}

  default void onInvalidLine(InvalidLine line) throws IOException {}

  /**
   * Called now and then (every few MB), cheap; {@code bytesRead} counts bytes consumed from the
   * stream.
   */
  default void onProgress(long bytesRead) {}

  /** Hands every callback to {@code first}, then to {@code second}. */
  static LineListener both(LineListener first, LineListener second) {
    return new LineListener() {
      @Override
      public void onValidLine(ValidLine line) throws IOException {
        first.onValidLine(line);
        second.onValidLine(line);
      }

      @Override
      public void onInvalidLine(InvalidLine line) throws IOException {
        first.onInvalidLine(line);
        second.onInvalidLine(line);
      }

      @Override
      public void onProgress(long bytesRead) {
        first.onProgress(bytesRead);
        second.onProgress(bytesRead);
      }
    };
  }
}
