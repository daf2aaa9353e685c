package io.batchdrop.pricing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * A model's prices on one backend: standard input, output (thinking included) and cached input, the
 * long-context tier where the model has one, the batch discount and the model's maximum output.
 */
public record ModelPrice(
    String model,
    Price input,
    Price output,
    Price cachedInput,
    Optional<LongContextTier> longContext,
    BatchDiscount batchDiscount,
    MaxOutput maxOutput) {
  public ModelPrice {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(longContext, "longContext");
    Objects.requireNonNull(batchDiscount, "batchDiscount");
    Objects.requireNonNull(maxOutput, "maxOutput");
  }

  /**
   * The cost of one response in a batch job: fresh input and output at the batch discount, cached
   * input at the cache price (the two discounts do not stack on Vertex; the cache one wins). The
   * tier is chosen from this response's prompt, which is why costs are per response and summed.
   */
  public Cost batchCost(TokenUsage usage) {
    return cost(usage, batchDiscount.payable());
  }

  /** The same response at standard (online) prices, to show what the batch discount saves. */
  public Cost standardCost(TokenUsage usage) {
    return cost(usage, BigDecimal.ONE);
  }

  /** Whether a request with this many prompt tokens is billed at the long-context tier. */
  public boolean isLongContext(long promptTokens) {
    return longContext.map(tier -> tier.applies(promptTokens)).orElse(false);
  }

  /**
   * {@link #batchCost} of usage summed over responses of one tier, at that tier's prices whatever
   * the sums' prompt: within a tier the cost is linear in the tokens, so this is the sum of the
   * responses' costs ({@link TieredUsage}).
   */
  Cost batchCostAtTier(TokenUsage summed, boolean longContextTier) {
    return cost(summed, batchDiscount.payable(), longContextTier);
  }

  /** {@link #standardCost} of usage summed over responses of one tier. */
  Cost standardCostAtTier(TokenUsage summed, boolean longContextTier) {
    return cost(summed, BigDecimal.ONE, longContextTier);
  }

  private Cost cost(TokenUsage usage, BigDecimal payable) {
    return cost(usage, payable, isLongContext(usage.prompt()));
  }

  private Cost cost(TokenUsage usage, BigDecimal payable, boolean longContextTier) {
    Optional<LongContextTier> tier = longContext.filter(t -> longContextTier);
    Price in = tier.map(LongContextTier::input).orElse(input);
    Price out = tier.map(LongContextTier::output).orElse(output);
    Price cached = tier.map(LongContextTier::cachedInput).orElse(cachedInput);
    // promptTokenCount includes the cached tokens; tool-use prompt tokens come on top, as input.
    long cachedTokens = Math.min(usage.cached(), usage.prompt());
    long freshTokens = usage.prompt() - cachedTokens + usage.toolUse();
    return Cost.of(
        in.usdFor(freshTokens).multiply(payable),
        cached.usdFor(cachedTokens),
        out.usdFor(usage.billedOutput()).multiply(payable));
  }
}
