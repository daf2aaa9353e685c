package io.batchdrop.pricing;

import java.util.Arrays;
import java.util.Objects;

/**
 * Token usage of many responses on one model, summed as longs per pricing tier and priced when
 * asked, instead of priced in {@code BigDecimal} once a response (a twentieth of publish's reading
 * thread, and as much of submit's staging thread). Exact to the last digit: the tier is chosen from
 * each response's own prompt as {@link ModelPrice#batchCost} chooses it, and within a tier the cost
 * is linear in fresh input, cached input and output tokens, so the sums priced at the tier's prices
 * are the sum of the responses' costs. Not thread-safe.
 */
public final class TieredUsage {

  private static final int STANDARD = 0;
  private static final int LONG_CONTEXT = 1;

  private final ModelPrice price;

  /** Per tier: prompt, cached (at most the prompt, as billed), candidates, thoughts, tool use. */
  private final long[][] sums = new long[2][5];

  public TieredUsage(ModelPrice price) {
    this.price = Objects.requireNonNull(price, "price");
  }

  /** One response's usage. */
  public void add(TokenUsage u) {
    long[] tier = sums[price.isLongContext(u.prompt()) ? LONG_CONTEXT : STANDARD];
    tier[0] = Math.addExact(tier[0], u.prompt());
    // The cached tokens are part of the prompt: a count above it is billed as the prompt
    // (ModelPrice), so each response's is capped before it is summed.
    tier[1] = Math.addExact(tier[1], Math.min(u.cached(), u.prompt()));
    tier[2] = Math.addExact(tier[2], u.candidates());
    tier[3] = Math.addExact(tier[3], u.thoughts());
    tier[4] = Math.addExact(tier[4], u.toolUse());
  }

  /** What the responses added since the last {@link #clear} cost in a batch job. */
  public Cost batchCost() {
    return cost(true);
  }

  /** The same responses at standard (online) prices. */
  public Cost standardCost() {
    return cost(false);
  }

  public void clear() {
    for (long[] tier : sums) {
      Arrays.fill(tier, 0);
    }
  }

  private Cost cost(boolean batch) {
    Cost cost = Cost.ZERO;
    for (int t = STANDARD; t <= LONG_CONTEXT; t++) {
      if (!empty(sums[t])) {
        TokenUsage usage = usage(sums[t]);
        boolean longContext = t == LONG_CONTEXT;
        cost =
            cost.plus(
                batch
                    ? price.batchCostAtTier(usage, longContext)
                    : price.standardCostAtTier(usage, longContext));
      }
    }
    return cost;
  }

  private static TokenUsage usage(long[] tier) {
    return new TokenUsage(tier[0], tier[1], tier[2], tier[3], tier[4], 0);
  }

  private static boolean empty(long[] tier) {
    return tier[0] == 0 && tier[2] == 0 && tier[3] == 0 && tier[4] == 0;
  }
}
