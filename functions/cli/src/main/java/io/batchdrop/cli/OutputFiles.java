package io.batchdrop.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What a command says when the file it was told to write ({@code --out}) cannot be written. */
final class OutputFiles {
  private OutputFiles() {}

  /**
   * One line for the user naming the file they gave, e.g. "cannot write out/r.html: no such
   * directory out", never a temporary file's name or an exception's class.
   */
  static String describe(Path file, IOException e) {
    String reason;
    if (e instanceof NoSuchFileException) {
      Path parent = file.toAbsolutePath().getParent();
      reason = "no such directory " + (file.getParent() != null ? file.getParent() : parent);
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
      reason = e.getMessage();
    } else {
      reason = e.getClass().getSimpleName();
    }
    return "cannot write " + file + ": " + reason;
  }
}
