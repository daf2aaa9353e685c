package io.batchdrop.cli;

import io.batchdrop.validation.Policy;
import io.batchdrop.validation.ValidationPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --policy} and {@code --max-invalid-ratio}: how submit judges a file, mixed in. */
final class PolicyOptions {
  @Option(
      names = "--policy",
      paramLabel = "lenient|strict",
      converter = PolicyConverter.class,
      description = "lenient (default) sets invalid rows aside; strict rejects on any invalid row.")
  Policy policy = ValidationPolicy.defaults().policy();

  @Option(
      names = "--max-invalid-ratio",
      paramLabel = "R",
      converter = RatioConverter.class,
      description = "Under lenient, the largest share of invalid rows accepted (default 0.1).")
  double maxInvalidRatio = ValidationPolicy.defaults().maxInvalidRatio();

  ValidationPolicy policy() {
    return new ValidationPolicy(policy, maxInvalidRatio);
  }

  static final class PolicyConverter implements ITypeConverter<Policy> {
    @Override
    public Policy convert(String value) {
      try {
        return Policy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class RatioConverter implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double ratio = Double.parseDouble(value);
        if (ratio >= 0 && ratio <= 1) {
          return ratio;
        }
      } catch (NumberFormatException e) {
        // reported below, with the expected form
      }
      throw new TypeConversionException(
          "\"" + value + "\" is not a number between 0 and 1 (e.g. 0.1)");
    }
  }
}
