package io.batchdrop.validation;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a {@link ValidationReport} into a {@link Verdict}.
 *
 * @param maxInvalidRatio for {@link Policy#LENIENT}: the largest share of invalid rows (0..1) still
 *     accepted
 */
public record ValidationPolicy(Policy policy, double maxInvalidRatio) {

  public static final double DEFAULT_MAX_INVALID_RATIO = 0.10;

  public ValidationPolicy {
    Objects.requireNonNull(policy, "policy");
    if (!(maxInvalidRatio >= 0 && maxInvalidRatio <= 1)) {
      throw new IllegalArgumentException(
          "maxInvalidRatio must be between 0 and 1, got " + maxInvalidRatio);
    }
  }

  public static ValidationPolicy defaults() {
    return new ValidationPolicy(Policy.LENIENT, DEFAULT_MAX_INVALID_RATIO);
  }

  public Verdict judge(ValidationReport report) {
    long rows = report.rows();
    long invalid = report.invalid();
    if (report.rejection() != null) {
      return new Verdict(false, report.rejection().message());
    }
    if (rows == 0) {
      return new Verdict(false, "the file has no rows");
    }
    if (report.valid() == 0) {
      return new Verdict(false, "the file has no valid rows");
    }
    if (invalid == 0) {
      return new Verdict(true, "all " + rows + " rows are valid");
    }
    String share = invalid + " of " + rows + " rows are invalid";
    if (policy == Policy.STRICT) {
      return new Verdict(false, "strict policy: " + share);
    }
    double ratio = (double) invalid / rows;
    String threshold = percent(maxInvalidRatio);
    if (ratio > maxInvalidRatio) {
      return new Verdict(
          false, share + " (" + percent(ratio) + "), above the " + threshold + " threshold");
    }
    return new Verdict(
        true,
        share
            + " ("
            + percent(ratio)
            + "), within the "
            + threshold
            + " threshold; the invalid rows are set aside");
  }

  private static String percent(double ratio) {
    BigDecimal p =
        BigDecimal.valueOf(ratio * 100)
            .setScale(1, java.math.RoundingMode.HALF_UP)
            .stripTrailingZeros();
    return String.format(Locale.ROOT, "%s%%", p.toPlainString());
  }
}
