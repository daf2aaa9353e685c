package io.batchdrop.cli;

import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A usage error: one line "batchdrop: what is wrong" in the tool's own words, then the usage of the
 * command that was being parsed, on stderr; exit code 2.
 */
final class UsageErrors implements IParameterExceptionHandler {
  /** A command that only groups others; it says what it expects after its name. */
  interface NeedsSubcommand {
    String expected();
  }

  private final PrintStream err;

  UsageErrors(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    err.println("batchdrop: " + message(ex, command));
    command.usage(err);
    return Main.EXIT_USAGE;
  }

  static String message(ParameterException ex, CommandLine command) {
    String name = command.getCommandName();
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
      String arg = unmatched.getUnmatched().get(0);
      if (command.getCommand() instanceof NeedsSubcommand group) {
        return "unknown command " + arg + "; " + name + " takes " + group.expected();
      }
      List<PositionalParamSpec> positionals = command.getCommandSpec().positionalParameters();
      if (positionals.isEmpty()) {
        return "unknown argument " + arg;
      }
      if (arg.startsWith("-") && !arg.equals("-")) {
        return "unknown option " + arg;
      }
      return name
          + " takes one "
          + positionals.get(0).paramLabel().toLowerCase(java.util.Locale.ROOT)
          + "; "
          + arg
          + " is one too many";
    }
    if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
      ArgSpec spec = missing.getMissing().get(0);
      if (spec instanceof OptionSpec option) {
        return option.longestName() + " needs a value";
      }
      return name + " needs a " + spec.paramLabel();
    }
    if (ex.getCause() instanceof TypeConversionException conversion
        && ex.getArgSpec() instanceof OptionSpec option) {
      return option.longestName() + ": " + conversion.getMessage();
    }
    if (ex.getCause() instanceof TypeConversionException conversion
        && ex.getArgSpec() instanceof PositionalParamSpec positional) {
      return positional.paramLabel() + ": " + conversion.getMessage();
    }
    return ex.getMessage();
  }
}
