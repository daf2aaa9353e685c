package io.batchdrop.cli;

import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.ValidLine;
import java.io.IOException;

/** Hands every callback to two listeners, in order. */
record TeeListener(LineListener first, LineListener second) implements LineListener {

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
}
