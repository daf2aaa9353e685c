package io.batchdrop.pricing;

import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The higher prices some models charge for a request whose prompt is longer than {@code
 * aboveTokens}; the whole request is then billed at these prices, not only the part above the
 * threshold.
 */
public record LongContextTier(
    long aboveTokens, Price input, Price output, Price cachedInput, LocalDate checked, URI source) {
  public LongContextTier {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(checked, "checked");
    Objects.requireNonNull(source, "source");
    if (aboveTokens < 1) {
      throw new IllegalArgumentException("aboveTokens is at least 1, got " + aboveTokens);
    }
  }

  /** Whether a request with this many prompt tokens (cached ones included) is billed here. */
  public boolean applies(long promptTokens) {
    return promptTokens > aboveTokens;
  }
}
