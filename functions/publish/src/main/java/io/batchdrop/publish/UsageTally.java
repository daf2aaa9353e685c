package io.batchdrop.publish;

import io.batchdrop.pricing.Cost;
import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.TokenUsage;
import java.util.Optional;

/**
 * The token usage of the rows read since the progress last took it in: long sums, per pricing tier,
 * priced once when {@link #foldInto} runs (before every checkpoint) instead of once a row in
 * BigDecimal, which was a twentieth of the reading thread. Exact to the last digit: within one tier
 * a response's batch cost is linear in its fresh input, cached input and output tokens ({@link
 * ModelPrice#batchCost}), so the tier's sums priced at that tier's prices are the sum of the rows'
 * costs. The tier is still chosen from each row's own prompt.
 */
final class UsageTally {

  private static final int STANDARD = 0;
  private static final int LONG_CONTEXT = 1;

  /** The model's price; null when the table has none (rows are then counted unpriced). */
  private final ModelPrice price;

  /** The price of each tier with no tier choice left: the tier's prices for any prompt. */
  private final ModelPrice[] flat = new ModelPrice[2];

  private long prompt;
  private long cached;
  private long candidates;
  private long thoughts;
  private long toolUse;
  private long total;
  private long unpriced;

  /** Per tier: prompt, cached (at most the prompt, as billed), candidates, thoughts, tool use. */
  private final long[][] billed = new long[2][5];

  UsageTally(Optional<ModelPrice> price) {
    this.price = price.orElse(null);
    if (this.price != null) {
      ModelPrice m = this.price;
      flat[STANDARD] =
          new ModelPrice(
              m.model(),
              m.input(),
              m.output(),
              m.cachedInput(),
              Optional.empty(),
              m.batchDiscount(),
              m.maxOutput());
      m.longContext()
          .ifPresent(
              tier ->
                  flat[LONG_CONTEXT] =
                      new ModelPrice(
                          m.model(),
                          tier.input(),
                          tier.output(),
                          tier.cachedInput(),
                          Optional.empty(),
                          m.batchDiscount(),
                          m.maxOutput()));
    }
  }

  /** One row's usage. */
  void add(TokenUsage u) {
    prompt = Math.addExact(prompt, u.prompt());
    cached = Math.addExact(cached, u.cached());
    candidates = Math.addExact(candidates, u.candidates());
    thoughts = Math.addExact(thoughts, u.thoughts());
    toolUse = Math.addExact(toolUse, u.toolUse());
    total = Math.addExact(total, u.total());
    if (price == null) {
      unpriced++;
      return;
    }
    long[] tier = billed[price.isLongContext(u.prompt()) ? LONG_CONTEXT : STANDARD];
    tier[0] = Math.addExact(tier[0], u.prompt());
    // The cached tokens are part of the prompt: a count above it is billed as the prompt
    // (ModelPrice).
    tier[1] = Math.addExact(tier[1], Math.min(u.cached(), u.prompt()));
    tier[2] = Math.addExact(tier[2], u.candidates());
    tier[3] = Math.addExact(tier[3], u.thoughts());
    tier[4] = Math.addExact(tier[4], u.toolUse());
  }

  /** Adds what was tallied to {@code p}'s tokens, cost and unpriced rows, and starts again. */
  void foldInto(Progress p) {
    p.tokens = p.tokens.plus(new TokenUsage(prompt, cached, candidates, thoughts, toolUse, total));
    p.unpriced += unpriced;
    Cost cost = p.cost;
    for (int t = STANDARD; t <= LONG_CONTEXT; t++) {
      long[] tier = billed[t];
      if (tier[0] != 0 || tier[2] != 0 || tier[3] != 0 || tier[4] != 0) {
        cost =
            cost.plus(
                flat[t].batchCost(new TokenUsage(tier[0], tier[1], tier[2], tier[3], tier[4], 0)));
      }
      java.util.Arrays.fill(tier, 0);
    }
    p.cost = cost;
    prompt = cached = candidates = thoughts = toolUse = total = unpriced = 0;
  }
}
