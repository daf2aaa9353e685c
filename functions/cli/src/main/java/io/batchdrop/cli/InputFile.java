package io.batchdrop.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The file to validate, or standard input for "-"; {@code size} is -1 when unknown. */
record InputFile(InputStream stream, long size) {

  static InputFile open(String name) throws IOException {
    if (name.equals("-")) {
      // The caller closes what it opened; standard input belongs to the process.
      return new InputFile(
          new FilterInputStream(System.in) {
            @Override
            public void close() {}
          },
          -1);
    }
    Path path = Path.of(name);
    if (Files.isDirectory(path)) {
      throw new IOException("is a directory");
    }
    return new InputFile(Files.newInputStream(path), Files.size(path));
  }

  /** One line for the user, e.g. "cannot read missing.jsonl: no such file". */
  static String describe(String name, IOException e) {
    String reason;
    if (e instanceof NoSuchFileException) {
      reason = "no such file";
    } else if (e instanceof AccessDeniedException) {
      reason = "permission denied";
    } else if (e.getMessage() != null && !e.getMessage().isBlank()) {
      reason = e.getMessage();
    } else {
      reason = e.getClass().getSimpleName();
    }
    return "cannot read " + name + ": " + reason;
  }
}
