package io.batchdrop.cli;

import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenEstimator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batchdrop estimate FILE [--model M] [--backend vertex|gemini-api] [--prices TABLE.json]
 * [--json]}: validates the file the way submit will (that backend's rules) and, in the same
 * streaming pass, estimates its tokens and batch cost. Exit code 0 with an estimate, 1 when the
 * model has no price or the file would be rejected, 2 for usage and I/O errors.
 */
@Command(
    name = "estimate",
    synopsisHeading = "usage: ",
    customSynopsis =
        "batchdrop estimate FILE [--model M] [--backend vertex|gemini-api] [--prices TABLE.json]"
            + " [--allowed-file-buckets B[,B...]] [--policy lenient|strict]"
            + " [--max-invalid-ratio R] [--json]",
    description = {
      "Estimate a file's tokens and batch cost offline, over the rows submit would send.",
      "Input tokens: characters of text parts / 4, rounded up per row, plus 258 per"
          + " fileData/inlineData part (one small image's worth: a floor for media).",
      "Output tokens: an upper bound, maxOutputTokens x candidateCount per row, or the model's"
          + " maximum output from the price table when a row sets none."
    },
    footerHeading = "%n",
    footer =
        "Exit codes: 0 estimated, 1 no price for the model or the file would be rejected,"
            + " 2 usage or I/O errors.")
final class EstimateCommand implements Callable<Integer> {
  /** The deployment's default model (BATCHDROP_DEFAULT_MODEL's default). */
  static final String DEFAULT_MODEL = "gemini-2.5-flash";

  private final Main.Io io;

  @Mixin HelpOption help;
  @Mixin PolicyOptions policy;
  @Mixin BackendOption backend;
  @Mixin FileBucketsOption fileBuckets;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The file to estimate, or - for standard input.")
  String file;

  @Option(
      names = "--model",
      paramLabel = "M",
      description = "The model the rows will run on (default " + DEFAULT_MODEL + ").")
  String model = DEFAULT_MODEL;

  @Option(
      names = "--prices",
      paramLabel = "TABLE.json",
      description = "A price table of the built-in one's shape, instead of the built-in one.")
  Path prices;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  EstimateCommand(Main.Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    PriceTable table;
    try {
      table = prices == null ? PriceTable.builtIn() : readPrices(prices);
    } catch (IOException e) {
      io.err().println("batchdrop: --prices " + InputFile.describe(prices.toString(), e));
      return Main.EXIT_USAGE;
    }
    Optional<FileValidation> input = FileValidation.open(io, file);
    if (input.isEmpty()) {
      return Main.EXIT_USAGE;
    }
    TokenEstimator estimator = new TokenEstimator(table, model);
    Optional<ValidationReport> read =
        input
            .get()
            .validate(
                fileBuckets.applyTo(
                    ValidatorConfig.defaults().withBackend(backend.backend).withModel(model)),
                estimator);
    if (read.isEmpty()) {
      return Main.EXIT_USAGE;
    }
    ValidationReport report = read.get();
    Verdict verdict = policy.policy().judge(report);
    EstimateReport result =
        new EstimateReport(
            report, verdict, estimator.estimate(), table.backend(), table.price(model));
    try {
      if (json) {
        result.printJson(io.out());
      } else {
        result.printHuman(io.out());
      }
    } catch (IOException e) {
      io.err().println("batchdrop: cannot write the estimate: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return result.priced() && verdict.accepted() ? Main.EXIT_OK : Main.EXIT_INVALID;
  }

  private static PriceTable readPrices(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return PriceTable.parse(in);
    }
  }
}
