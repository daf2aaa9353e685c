package io.batchdrop.pricing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The share taken off the standard input and output prices for batch jobs (0.5 is half price).
 * Cached input is not discounted again: Vertex says the cache and batch discounts do not stack.
 */
public record BatchDiscount(BigDecimal fraction, LocalDate checked, URI source) {
  public BatchDiscount {
    Objects.requireNonNull(fraction, "fraction");
    Objects.requireNonNull(checked, "checked");
    Objects.requireNonNull(source, "source");
    if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) >= 0) {
      throw new IllegalArgumentException("a batch discount is in [0, 1), got " + fraction);
    }
  }

  /** What is left to pay of a standard price: 1 - fraction. */
  BigDecimal payable() {
    return BigDecimal.ONE.subtract(fraction);
  }
}
