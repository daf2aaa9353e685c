package io.batchdrop.cli;

import io.batchdrop.validation.Policy;
import io.batchdrop.validation.ValidationPolicy;

/** The arguments of {@code batchdrop validate}. {@code file} is "-" for standard input. */
record ValidateOptions(String file, ValidationPolicy policy, boolean json) {

  static ValidateOptions parse(String[] args) throws UsageException {
    ValidationPolicy defaults = ValidationPolicy.defaults();
    String file = null;
    Policy policy = defaults.policy();
    double maxInvalidRatio = defaults.maxInvalidRatio();
    boolean json = false;
    CommandLine line = new CommandLine(args);
    while (line.hasNext()) {
      String arg = line.next();
      switch (line.optionName(arg)) {
        case "--policy" -> policy = parsePolicy(line.value(arg));
        case "--max-invalid-ratio" -> maxInvalidRatio = parseRatio(line.value(arg));
        case "--json" -> json = line.flag(arg);
        default -> {
          if (CommandLine.isOption(arg)) {
            throw new UsageException("unknown option " + arg);
          }
          if (file != null) {
            throw new UsageException("validate takes one file, got " + file + " and " + arg);
          }
          file = arg;
        }
      }
    }
    if (file == null) {
      throw new UsageException("validate needs a FILE (or - for standard input)");
    }
    return new ValidateOptions(file, new ValidationPolicy(policy, maxInvalidRatio), json);
  }

  private static Policy parsePolicy(String value) throws UsageException {
    try {
      return Policy.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--policy: " + e.getMessage());
    }
  }

  private static double parseRatio(String value) throws UsageException {
    try {
      double ratio = Double.parseDouble(value);
      if (ratio >= 0 && ratio <= 1) {
        return ratio;
      }
    } catch (NumberFormatException e) {
      // reported below, with the expected form
    }
    throw new UsageException(
        "--max-invalid-ratio: \"" + value + "\" is not a number between 0 and 1 (e.g. 0.1)");
  }
}
