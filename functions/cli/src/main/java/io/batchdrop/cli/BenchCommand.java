package io.batchdrop.cli;

import io.batchdrop.cli.bench.BenchOptions;
import io.batchdrop.cli.bench.ValidatorBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]} runs the
 * validation benchmark; {@code batchdrop bench generate [--size-mb N] [--file PATH]} only writes
 * (or finds) its synthetic file, e.g. to validate it with a small heap.
 */
final class BenchCommand implements Main.Command {

  @Override
  public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    String what = args.length == 0 ? "" : args[0];
    if (!what.equals("validate") && !what.equals("generate")) {
      throw new UsageException(
          "bench takes validate (the benchmark) or generate (its input file only)");
    }
    BenchOptions options = parse(args);
    ValidatorBenchmark benchmark = new ValidatorBenchmark(out);
    Path benchData = home().resolve("bench-data");
    if (what.equals("generate")) {
      out.println(benchmark.generate(options, benchData));
    } else {
      benchmark.run(options, benchData);
    }
    return Main.EXIT_OK;
  }

  private static BenchOptions parse(String[] args) throws UsageException {
    int sizeMb = BenchOptions.DEFAULT_SIZE_MB;
    int runs = BenchOptions.DEFAULT_RUNS;
    Path file = null;
    boolean keep = false;
    CommandLine line = new CommandLine(args);
    line.next(); // validate | generate
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

  /**
   * The repository root when started by ./batchdrop (which sets batchdrop.home), else the current
   * directory.
   */
  private static Path home() {
    return Path.of(System.getProperty("batchdrop.home", "."));
  }
}
