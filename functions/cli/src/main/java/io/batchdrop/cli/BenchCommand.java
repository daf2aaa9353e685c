package io.batchdrop.cli;

import io.batchdrop.cli.bench.BenchOptions;
import io.batchdrop.cli.bench.ValidatorBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]} runs the
 * validation benchmark; {@code batchdrop bench generate [--size-mb N] [--file PATH]} only writes
 * (or finds) its synthetic file, e.g. to validate it with a small heap.
 */
@Command(
    name = "bench",
    synopsisHeading = "usage: ",
    customSynopsis = {
      "batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]",
      "       batchdrop bench generate [--size-mb N] [--file PATH]"
    },
    description =
        "Benchmarks (./batchdrop bench submit, bench poll and bench publish run through Maven).",
    commandListHeading = "%nCommands:%n")
final class BenchCommand implements Callable<Integer>, UsageErrors.NeedsSubcommand {
  @Spec CommandSpec spec;
  @Mixin HelpOption help;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "bench takes " + expected());
  }

  @Override
  public String expected() {
    return "validate (the benchmark) or generate (its input file only)";
  }

  /** What both take: the size of the synthetic file and where it is. */
  static class FileOptions {
    @Option(
        names = "--size-mb",
        paramLabel = "N",
        converter = Positive.class,
        description = "Size of the synthetic file in MB (default 256).")
    int sizeMb = BenchOptions.DEFAULT_SIZE_MB;

    @Option(
        names = "--file",
        paramLabel = "PATH",
        description = "Where the file is (default bench-data/bench-{N}mb.jsonl).")
    Path file;
  }

  @Command(
      name = "validate",
      synopsisHeading = "usage: ",
      customSynopsis = "batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]",
      description = "Validate a synthetic file and compare with the obvious alternatives.")
  static final class Validate implements Callable<Integer> {
    private final Main.Io io;

    @Mixin HelpOption help;
    @Mixin FileOptions files;

    @Option(names = "--keep", description = "Keep the synthetic file afterwards.")
    boolean keep;

    @Option(
        names = "--runs",
        paramLabel = "N",
        converter = Positive.class,
        description = "Timed runs per contender (default 3).")
    int runs = BenchOptions.DEFAULT_RUNS;

    Validate(Main.Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      new ValidatorBenchmark(io.out())
          .run(new BenchOptions(files.sizeMb, files.file, keep, runs), benchData());
      return Main.EXIT_OK;
    }
  }

  @Command(
      name = "generate",
      synopsisHeading = "usage: ",
      customSynopsis = "batchdrop bench generate [--size-mb N] [--file PATH]",
      description = "Write (or find) the benchmark's synthetic file and print its path.")
  static final class Generate implements Callable<Integer> {
    private final Main.Io io;

    @Mixin HelpOption help;
    @Mixin FileOptions files;

    Generate(Main.Io io) {
      this.io = io;
    }

    @Override
    public Integer call() throws Exception {
      ValidatorBenchmark benchmark = new ValidatorBenchmark(io.out());
      io.out()
          .println(
              benchmark.generate(
                  new BenchOptions(files.sizeMb, files.file, false, BenchOptions.DEFAULT_RUNS),
                  benchData()));
      return Main.EXIT_OK;
    }
  }

  static final class Positive implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new TypeConversionException("\"" + value + "\" is not a positive whole number");
    }
  }

  /**
   * bench-data/ under the repository root when started by ./batchdrop (which sets batchdrop.home),
   * else under the current directory.
   */
  private static Path benchData() {
    return Path.of(System.getProperty("batchdrop.home", ".")).resolve("bench-data");
  }
}
