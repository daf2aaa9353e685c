package io.batchdrop.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * Entry point of {@code ./batchdrop}. Commands are parsed by picocli; every command has {@code
 * --help}. Exit codes: 0 ok, 1 the thing checked is not ok, 2 usage or I/O errors (a usage error
 * prints the message and the command's usage on stderr).
 */
public final class Main {
  static final int EXIT_OK = 0;
  static final int EXIT_INVALID = 1;
  static final int EXIT_USAGE = 2;

  /**
   * gRPC logs through java.util.logging: start-up facts at INFO, and a host that does not resolve
   * as a WARNING with the resolver's whole stack trace. A command's stderr holds only its own
   * messages: the failed call's status is in the one line the command prints. Held here: the
   * logging framework keeps loggers weakly.
   */
  private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

  private Main() {}

  public static void main(String[] args) {
    GRPC_LOG.setLevel(Level.OFF);
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, System.getenv());
  }

  /** With the environment the operator commands find the deployment in (tests give their own). */
  static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
    // A progress line only makes sense on the real stderr, and only when a person watches it.
    boolean progress = err == System.err && Terminal.stderrIsTerminal();
    return commandLine(new Io(out, err, progress), env).execute(args);
  }

  static CommandLine commandLine(Io io) {
    return commandLine(io, System.getenv());
  }

  static CommandLine commandLine(Io io, Map<String, String> env) {
    CommandLine cl = new CommandLine(new RootCommand());
    cl.addSubcommand(new ValidateCommand(io));
    cl.addSubcommand(new EstimateCommand(io));
    cl.addSubcommand(new SubmitCommand(io, env));
    cl.addSubcommand(new RunsCommand(io, env));
    cl.addSubcommand(new StatusCommand(io, env));
    cl.addSubcommand(new CancelCommand(io, env));
    cl.addSubcommand(new ReplayCommand(io, env));
    cl.addSubcommand(new ResultsCommand(io, env));
    cl.addSubcommand(new ReportCommand(io, env));
    CommandLine bench = new CommandLine(new BenchCommand());
    bench.addSubcommand(new BenchCommand.Validate(io));
    bench.addSubcommand(new BenchCommand.Generate(io));
    cl.addSubcommand(bench);
    cl.addSubcommand(new CommandLine.HelpCommand());
    // "@file" is a file name here, never a file of arguments to expand.
    cl.setExpandAtFiles(false);
    cl.setUsageHelpWidth(100);
    cl.setOut(writer(io.out()));
    cl.setErr(writer(io.err()));
    cl.setParameterExceptionHandler(new UsageErrors(io.err()));
    cl.setExecutionExceptionHandler(
        (e, command, parseResult) -> {
          io.err().println("batchdrop: " + e);
          return EXIT_USAGE;
        });
    return cl;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(stream, true);
  }

  /** The streams a command writes to, and whether it may draw a progress line on stderr. */
  record Io(PrintStream out, PrintStream err, boolean progress) {}
}
