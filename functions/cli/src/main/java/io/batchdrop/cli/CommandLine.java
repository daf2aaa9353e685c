package io.batchdrop.cli;

/**
 * Walks a command's arguments; options are {@code --name value}, {@code --name=value} or a bare
 * {@code --flag}. Small on purpose: the tool has a handful of options.
 */
final class CommandLine {
  private final String[] args;
  private int next;

  CommandLine(String[] args) {
    this.args = args.clone();
  }

  boolean hasNext() {
    return next < args.length;
  }

  String next() {
    return args[next++];
  }

  static boolean isOption(String arg) {
    return arg.startsWith("-") && !arg.equals("-");
  }

  /** The option's name without any "=value" part, or the argument itself when it is no option. */
  String optionName(String arg) {
    int eq = arg.indexOf('=');
    return isOption(arg) && eq > 0 ? arg.substring(0, eq) : arg;
  }

  /** The option's value: after "=", or the following argument. */
  String value(String arg) throws UsageException {
    int eq = arg.indexOf('=');
    if (eq > 0) {
      return arg.substring(eq + 1);
    }
    if (!hasNext()) {
      throw new UsageException(arg + " needs a value");
    }
    return next();
  }

  boolean flag(String arg) throws UsageException {
    if (arg.indexOf('=') > 0) {
      throw new UsageException(optionName(arg) + " takes no value");
    }
    return true;
  }
}
