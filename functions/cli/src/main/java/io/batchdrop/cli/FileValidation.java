package io.batchdrop.cli;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One streaming pass of the validator over FILE (or standard input, "-"), as {@code validate} and
 * {@code estimate} run it: a progress line on a watched terminal for a large file, cleared before
 * the caller prints, and an unreadable file told to the user in one line. Opening comes first, so a
 * command writes nothing to stdout for a file that cannot be opened.
 */
final class FileValidation {
  private final Main.Io io;
  private final String file;
  private final InputFile input;

  private FileValidation(Main.Io io, String file, InputFile input) {
    this.io = io;
    this.file = file;
    this.input = input;
  }

  /** The opened file; empty when it cannot be opened, the reason already on stderr. */
  static Optional<FileValidation> open(Main.Io io, String file) {
    try {
      return Optional.of(new FileValidation(io, file, InputFile.open(file)));
    } catch (IOException e) {
      io.err().println("batchdrop: " + InputFile.describe(file, e));
      return Optional.empty();
    }
  }

  /**
   * The report under {@code rules} (the backend's and the model's, as submit validates), with every
   * line also given to {@code listener}; empty when reading failed part way, the reason already on
   * stderr. Closes the file either way.
   */
  Optional<ValidationReport> validate(ValidatorConfig rules, LineListener listener) {
    ProgressLine progress = ProgressLine.forInput(io, input);
    try (InputStream in = input.stream()) {
      return Optional.of(
          new RequestValidator(rules).validate(in, ProgressLine.with(listener, progress)));
    } catch (IOException e) {
      ProgressLine.clear(progress);
      io.err().println("batchdrop: " + InputFile.describe(file, e));
      return Optional.empty();
    } finally {
      ProgressLine.clear(progress);
    }
  }
}
