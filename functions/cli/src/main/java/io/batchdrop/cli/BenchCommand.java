package io.batchdrop.cli;

import io.batchdrop.cli.bench.BenchOptions;
import io.batchdrop.cli.bench.ValidatorBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;

/** {@code batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]}. */
final class BenchCommand implements Main.Command {

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length == 0 || !args[0].equals("validate")) {
      throw new UsageException("bench has one benchmark: bench validate");
    }
    BenchOptions options = parse(args);
    new ValidatorBenchmark(out).run(options, home().resolve("bench-data"));
    return Main.EXIT_OK;
  }

  private static BenchOptions parse(String[] args) throws UsageException {
    int sizeMb = BenchOptions.DEFAULT_SIZE_MB;
    int runs = BenchOptions.DEFAULT_RUNS;
    Path file = null;
    boolean keep = false;
    CommandLine line = new CommandLine(args);
    line.next(); // "validate"
    while (line.hasNext()) {
      String arg = line.next();
      switch (line.optionName(arg)) {
        case "--size-mb" -> sizeMb = positive("--size-mb", line.value(arg));
        case "--runs" -> runs = positive("--runs", line.value(arg));
        case "--file" -> file = Path.of(line.value(arg));
        case "--keep" -> keep = line.flag(arg);
        default -> throw new UsageException("unknown argument " + arg);
      }
    }
    return new BenchOptions(sizeMb, file, keep, runs);
  }

  private static int positive(String option, String value) throws UsageException {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(option + ": \"" + value + "\" is not a positive whole number");
  }

  /** The repository root when started by ./batchdrop (which sets batchdrop.home), else the current directory. */
  private static Path home() {
    return Path.of(System.getProperty("batchdrop.home", "."));
  }
}
