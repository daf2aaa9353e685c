package io.batchdrop.pricing;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The budget guard of {@code BATCHDROP_MAX_RUN_COST_USD}: a run whose estimated batch cost (an
 * upper bound: every row at its maxOutputTokens, or the model's maximum) is above the budget is
 * rejected, and so is one whose model has no price, since its budget could not be checked. One rule
 * for the submit function and {@code batchdrop submit}, which must not upload a file submit
 * rejects.
 */
public final class CostBudget {
  private CostBudget() {}

  /** Why the estimate is over the budget; empty within it or without a budget. */
  public static Optional<String> exceeded(TokenEstimate estimate, Optional<BigDecimal> budget) {
    if (budget.isEmpty()) {
      return Optional.empty();
    }
    if (estimate.batchCost().isEmpty()) {
      return Optional.of(
          "BATCHDROP_MAX_RUN_COST_USD is set, but the price table has no price for model "
              + estimate.model()
              + ", so the run's cost cannot be checked against the $"
              + budget.get().toPlainString()
              + " budget");
    }
    BigDecimal cost = estimate.batchCost().get().totalUsd();
    if (cost.compareTo(budget.get()) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the estimated batch cost is at most $"
            + cost.toPlainString()
            + ", over the $"
            + budget.get().toPlainString()
            + " budget (BATCHDROP_MAX_RUN_COST_USD) by $"
            + cost.subtract(budget.get()).toPlainString()
            + "; set maxOutputTokens on the rows or raise the budget");
  }
}
