package io.batchdrop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code batchdrop}: without a command, a usage error. */
@Command(
    name = "batchdrop",
    mixinStandardHelpOptions = false,
    synopsisHeading = "usage: ",
    // Each line is the command's own synopsis (OverviewHelpTest), broken to fit 100 columns.
    customSynopsis = {
      "batchdrop validate FILE [--backend vertex|gemini-api] [--model M]",
      "                          [--allowed-file-buckets B[,B...]] [--policy lenient|strict]",
      "                          [--max-invalid-ratio R] [--json]",
      "       batchdrop estimate FILE [--model M] [--backend vertex|gemini-api] [--prices TABLE.json]",
      "                          [--allowed-file-buckets B[,B...]] [--policy lenient|strict]",
      "                          [--max-invalid-ratio R] [--json]",
      "       batchdrop submit FILE [--model M] [--policy lenient|strict] [--name NAME] [--wait] [--json]",
      "       batchdrop runs [--limit N] [--state S] [--json]",
      "       batchdrop status RUN [--watch] [--interval S] [--timeout S] [--json]",
      "       batchdrop cancel RUN [--json]",
      "       batchdrop replay RUN [--topic T] [--status S[,S...]] [--json]",
      "       batchdrop results RUN [--out FILE] [--json]",
      "       batchdrop report RUN [--out FILE] [--open] [--work-bucket B] [--project P]",
      "       batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]",
      "       batchdrop bench generate [--size-mb N] [--file PATH]",
      "       batchdrop COMMAND --help",
    },
    description = {
      "Check, estimate and benchmark Gemini batch request files (JSONL), and operate a deployment.",
      "The operator commands find it like gcloud: --project / GOOGLE_CLOUD_PROJECT / the gcloud",
      "configuration, buckets from flags, BATCHDROP_* variables or --terraform-dir, emulators from",
      "FIRESTORE_EMULATOR_HOST, PUBSUB_EMULATOR_HOST, STORAGE_EMULATOR_HOST; credentials from ADC."
    },
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
      "Exit codes: 0 ok, 1 the thing checked is not ok, 2 usage or I/O errors.",
      // Two lines: wrapped by picocli, the last command name was cut after its "./".
      "The ./batchdrop launcher also runs: ./batchdrop demo, ./batchdrop up, ./batchdrop faults,",
      "./batchdrop bench submit|poll|publish|coldstart."
    })
final class RootCommand implements Callable<Integer>, UsageErrors.NeedsSubcommand {
  @Spec CommandSpec spec;

  @picocli.CommandLine.Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "batchdrop needs a command");
  }

  @Override
  public String expected() {
    return "validate, estimate, submit, runs, status, cancel, replay, results, report or bench";
  }
}
