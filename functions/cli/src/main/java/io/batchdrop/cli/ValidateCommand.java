package io.batchdrop.cli;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code batchdrop validate FILE [--policy lenient|strict] [--max-invalid-ratio R] [--json]}: one
 * streaming pass over the file, then the counts, the findings and the verdict. Exit code 0 when
 * every row is valid, 1 when some are invalid or the file is rejected, 2 for usage and I/O errors.
 */
final class ValidateCommand implements Main.Command {

  /** Below this size the file is read in about a second: a progress line would only flicker. */
  private static final long PROGRESS_MIN_BYTES = 64L << 20;

  private final boolean progressOnStderr;

  ValidateCommand(boolean progressOnStderr) {
    this.progressOnStderr = progressOnStderr;
  }

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
    ValidateOptions options = ValidateOptions.parse(args);
    InputFile input;
    try {
      input = InputFile.open(options.file());
    } catch (IOException e) {
      err.println("batchdrop: " + InputFile.describe(options.file(), e));
      return Main.EXIT_USAGE;
    }
    ProgressLine progress =
        progressOnStderr && input.size() >= PROGRESS_MIN_BYTES
            ? new ProgressLine(err, input.size())
            : null;
    try (InputStream in = input.stream()) {
      Verdict verdict;
      ValidationReport report;
      RequestValidator validator = new RequestValidator(ValidatorConfig.defaults());
      if (options.json()) {
        JsonReportWriter writer = new JsonReportWriter(out);
        report = validator.validate(in, withProgress(writer, progress));
        verdict = options.policy().judge(report);
        clear(progress);
        writer.finish(report, verdict);
      } else {
        report = validator.validate(in, withProgress(new LineListener() {}, progress));
        verdict = options.policy().judge(report);
        clear(progress);
        new HumanReport(out).print(report, verdict);
      }
      return report.invalid() == 0 && verdict.accepted() ? Main.EXIT_OK : Main.EXIT_INVALID;
    } catch (IOException e) {
      clear(progress);
      err.println("batchdrop: " + InputFile.describe(options.file(), e));
      return Main.EXIT_USAGE;
    }
  }

  private static LineListener withProgress(LineListener listener, ProgressLine progress) {
    return progress == null ? listener : new TeeListener(listener, progress);
  }

  private static void clear(ProgressLine progress) {
    if (progress != null) {
      progress.clear();
    }
  }
}
