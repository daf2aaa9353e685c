package io.batchdrop.pricing;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One list price in US dollars per million tokens, with the page it was read from and the date that
 * page was checked, so a reader of a cost can tell how old the figure is.
 */
public record Price(BigDecimal usdPerMillion, LocalDate checked, URI source) {
  public Price {
    Objects.requireNonNull(usdPerMillion, "usdPerMillion");
    Objects.requireNonNull(checked, "checked");
    Objects.requireNonNull(source, "source");
    if (usdPerMillion.signum() < 0) {
      throw new IllegalArgumentException("a price is never negative, got " + usdPerMillion);
    }
  }

  /** The dollars for {@code tokens} tokens, exact (no rounding). */
  BigDecimal usdFor(long tokens) {
    return usdPerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
  }
}
