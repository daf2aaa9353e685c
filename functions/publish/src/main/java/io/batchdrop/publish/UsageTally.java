package io.batchdrop.publish;

import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.TieredUsage;
import io.batchdrop.pricing.TokenUsage;
import java.util.Optional;

/**
 * The token usage of the rows read since the progress last took it in: long sums, priced once per
 * tier when {@link #foldInto} runs (before every checkpoint) instead of once a row in BigDecimal,
 * which was a twentieth of the reading thread. Exact to the last digit ({@link TieredUsage}).
 */
final class UsageTally {

  /** The rows' billed usage per pricing tier; null when the table has no price for the model. */
  private final TieredUsage billed;

  private long prompt;
  private long cached;
  private long candidates;
  private long thoughts;
  private long toolUse;
  private long total;
  private long unpriced;

  UsageTally(Optional<ModelPrice> price) {
    this.billed = price.map(TieredUsage::new).orElse(null);
  }

  /** One row's usage. */
  void add(TokenUsage u) {
    prompt = Math.addExact(prompt, u.prompt());
    cached = Math.addExact(cached, u.cached());
    candidates = Math.addExact(candidates, u.candidates());
    thoughts = Math.addExact(thoughts, u.thoughts());
    toolUse = Math.addExact(toolUse, u.toolUse());
    total = Math.addExact(total, u.total());
    if (billed == null) {
      unpriced++;
    } else {
      billed.add(u);
    }
  }

  /** Adds what was tallied to {@code p}'s tokens, cost and unpriced rows, and starts again. */
  void foldInto(Progress p) {
    p.tokens = p.tokens.plus(new TokenUsage(prompt, cached, candidates, thoughts, toolUse, total));
    p.unpriced += unpriced;
    if (billed != null) {
      p.cost = p.cost.plus(billed.batchCost());
      billed.clear();
    }
    prompt = cached = candidates = thoughts = toolUse = total = unpriced = 0;
  }
}
