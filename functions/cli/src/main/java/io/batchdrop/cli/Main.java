package io.batchdrop.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/** Entry point of {@code ./batchdrop}: picks the command named by the first argument. */
public final class Main {

  /** A sub-command of the tool. Returns the process exit code. */
  public interface Command {
    int run(String[] args, PrintStream out, PrintStream err) throws Exception;
  }

  static final int EXIT_USAGE = 2;

  private static final Map<String, Command> COMMANDS = Map.of(
      "validate", new ValidateCommand(),
      "bench", new BenchCommand());

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || !COMMANDS.containsKey(args[0])) {
      err.println("usage: batchdrop <validate|bench> ...");
      return EXIT_USAGE;
    }
    try {
      return COMMANDS.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (Exception e) {
      err.println("batchdrop: " + e.getMessage());
      return EXIT_USAGE;
    }
  }
}
