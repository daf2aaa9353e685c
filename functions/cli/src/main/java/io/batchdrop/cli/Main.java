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

  static final int EXIT_OK = 0;
  static final int EXIT_INVALID = 1;
  static final int EXIT_USAGE = 2;

  static final String USAGE =
      """
      usage: batchdrop validate FILE [--policy lenient|strict] [--max-invalid-ratio R] [--json]
             batchdrop bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]
             batchdrop bench generate [--size-mb N] [--file PATH]""";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0
        && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
      out.println(USAGE);
      return EXIT_OK;
    }
    Map<String, Command> commands = commands(err);
    if (args.length == 0 || !commands.containsKey(args[0])) {
      err.println(USAGE);
      return EXIT_USAGE;
    }
    try {
      return commands.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out, err);
    } catch (UsageException e) {
      err.println("batchdrop: " + e.getMessage());
      err.println(USAGE);
      return EXIT_USAGE;
    } catch (Exception e) {
      err.println("batchdrop: " + e);
      return EXIT_USAGE;
    }
  }

  private static Map<String, Command> commands(PrintStream err) {
    // A progress line only makes sense on the real stderr, and only when a person watches it.
    boolean progress = err == System.err && Terminal.stderrIsTerminal();
    return Map.of(
        "validate", new ValidateCommand(progress),
        "bench", new BenchCommand());
  }
}
