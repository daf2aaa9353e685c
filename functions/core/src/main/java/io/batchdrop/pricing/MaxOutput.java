package io.batchdrop.pricing;

import java.net.URI;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The most output tokens (thinking included) the model produces for one candidate: the bound an
 * estimate assumes for a request that sets no {@code maxOutputTokens}.
 */
public record MaxOutput(long tokens, LocalDate checked, URI source) {
  public MaxOutput {
    Objects.requireNonNull(checked, "checked");
    Objects.requireNonNull(source, "source");
    if (tokens < 1) {
      throw new IllegalArgumentException("a maximum output is at least 1 token, got " + tokens);
    }
  }
}
