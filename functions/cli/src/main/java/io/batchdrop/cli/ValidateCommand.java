package io.batchdrop.cli;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batchdrop validate FILE [--backend vertex|gemini-api] [--model M] [--allowed-file-buckets
 * B[,B...]] [--policy lenient|strict] [--max-invalid-ratio R] [--json]}: one streaming pass over
 * the file with the rules of that backend and model, as submit applies them, then the counts, the
 * findings and the verdict. Exit code 0 when every row is valid, 1 when some are invalid or the
 * file is rejected, 2 for usage and I/O errors.
 */
@Command(
    name = "validate",
    synopsisHeading = "usage: ",
    customSynopsis =
        "batchdrop validate FILE [--backend vertex|gemini-api] [--model M]"
            + " [--allowed-file-buckets B[,B...]] [--policy lenient|strict]"
            + " [--max-invalid-ratio R] [--json]",
    description = "Check a JSONL file of Gemini requests the way submit will.",
    footerHeading = "%n",
    footer =
        "Exit codes: 0 every row is valid, 1 some rows are invalid or the file would be rejected,"
            + " 2 usage or I/O errors.")
final class ValidateCommand implements Callable<Integer> {

  /** Below this size the file is read in about a second: a progress line would only flicker. */
  static final long PROGRESS_MIN_BYTES = 64L << 20;

  private final Main.Io io;

  @Mixin HelpOption help;
  @Mixin PolicyOptions policy;
  @Mixin BackendOption backend;
  @Mixin FileBucketsOption fileBuckets;

  @Option(
      names = "--model",
      paramLabel = "M",
      description =
          "The model the rows will run on (default "
              + EstimateCommand.DEFAULT_MODEL
              + "); an embedding model takes embedding requests.")
  String model = EstimateCommand.DEFAULT_MODEL;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The file to check, or - for standard input.")
  String file;

  @Option(names = "--json", description = "Print one JSON object with every finding.")
  boolean json;

  ValidateCommand(Main.Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    Optional<FileValidation> input = FileValidation.open(io, file);
    if (input.isEmpty()) {
      return Main.EXIT_USAGE;
    }
    try {
      JsonReportWriter writer = json ? new JsonReportWriter(io.out()) : null;
      Optional<ValidationReport> read =
          input
              .get()
              .validate(
                  fileBuckets.applyTo(
                      ValidatorConfig.defaults().withBackend(backend.backend).withModel(model)),
                  writer == null ? LineListener.NONE : writer);
      if (read.isEmpty()) {
        return Main.EXIT_USAGE;
      }
      ValidationReport report = read.get();
      Verdict verdict = policy.policy().judge(report);
      if (writer != null) {
        writer.finish(report, verdict);
      } else {
        new HumanReport(io.out()).print(report, verdict);
      }
      return report.invalid() == 0 && verdict.accepted() ? Main.EXIT_OK : Main.EXIT_INVALID;
    } catch (IOException e) {
      io.err().println("batchdrop: cannot write the report: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
  }
}
