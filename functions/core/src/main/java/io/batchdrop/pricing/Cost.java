package io.batchdrop.pricing;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What tokens cost in US dollars, by kind: fresh input (tool-use prompt tokens included), cached
 * input, and output (thinking included). Exact decimals, not doubles: a run sums hundreds of
 * thousands of per-response costs of a few millionths of a dollar each, and doubles would drift and
 * print as 0.30000000000000004. Amounts are kept without trailing zeros, so equal costs are {@code
 * equals}; round only for display.
 */
public record Cost(
    BigDecimal inputUsd, BigDecimal cachedInputUsd, BigDecimal outputUsd, BigDecimal totalUsd) {
  public static final Cost ZERO = of(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

  public Cost {
    inputUsd = amount(inputUsd, "inputUsd");
    cachedInputUsd = amount(cachedInputUsd, "cachedInputUsd");
    outputUsd = amount(outputUsd, "outputUsd");
    totalUsd = amount(totalUsd, "totalUsd");
    if (totalUsd.compareTo(inputUsd.add(cachedInputUsd).add(outputUsd)) != 0) {
      throw new IllegalArgumentException(
          "totalUsd " + totalUsd + " is not inputUsd + cachedInputUsd + outputUsd");
    }
  }

  public static Cost of(BigDecimal inputUsd, BigDecimal cachedInputUsd, BigDecimal outputUsd) {
    return new Cost(
        inputUsd, cachedInputUsd, outputUsd, inputUsd.add(cachedInputUsd).add(outputUsd));
  }

  public Cost plus(Cost other) {
    return of(
        inputUsd.add(other.inputUsd),
        cachedInputUsd.add(other.cachedInputUsd),
        outputUsd.add(other.outputUsd));
  }

  private static BigDecimal amount(BigDecimal value, String name) {
    Objects.requireNonNull(value, name);
    if (value.signum() < 0) {
      throw new IllegalArgumentException(name + " is never negative, got " + value);
    }
    return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }
}
