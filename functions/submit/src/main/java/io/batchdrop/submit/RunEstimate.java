package io.batchdrop.submit;

import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.pricing.TokenEstimate;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run's pre-submit estimate as recorded (run document, {@code run.accepted}) and the budget
 * guard: with {@code BATCHDROP_MAX_RUN_COST_USD} set, a run whose estimated batch cost (an upper
 * bound: every row at its maxOutputTokens, or the model's maximum) is above it is rejected, and so
 * is one whose model has no price, since its budget could not be checked.
 */
final class RunEstimate {
  static final String METHOD =
      "input: characters / "
          + TokenEstimate.CHARS_PER_TOKEN
          + " of text parts plus "
          + TokenEstimate.TOKENS_PER_MEDIA_PART
          + " per media part; output: each row's maxOutputTokens (or the model's maximum) as an"
          + " upper bound; batch prices from the price table";

  private RunEstimate() {}

  static Map<String, Object> of(TokenEstimate estimate) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("inputTokens", estimate.inputTokens());
    map.put("outputTokensBound", estimate.outputTokensBound());
    map.put("rowsAtModelMaximum", estimate.rowsAtModelMaximum());
    estimate
        .batchCost()
        .ifPresent(cost -> map.put("batchCostUsd", cost.totalUsd().toPlainString()));
    map.put("method", METHOD);
    return map;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> stored(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  static Optional<String> overBudget(TokenEstimate estimate, BatchdropConfig config) {
    if (config.submit().maxRunCostUsd().isEmpty()) {
      return Optional.empty();
    }
    BigDecimal budget = config.submit().maxRunCostUsd().get();
    if (estimate.batchCost().isEmpty()) {
      return Optional.of(
          "BATCHDROP_MAX_RUN_COST_USD is set, but the price table has no price for model "
              + estimate.model()
              + ", so the run's cost cannot be checked against the $"
              + budget.toPlainString()
              + " budget");
    }
    BigDecimal cost = estimate.batchCost().get().totalUsd();
    if (cost.compareTo(budget) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        "the estimated batch cost is at most $"
            + cost.toPlainString()
            + ", over the $"
            + budget.toPlainString()
            + " budget (BATCHDROP_MAX_RUN_COST_USD) by $"
            + cost.subtract(budget).toPlainString()
            + "; set maxOutputTokens on the rows or raise the budget");
  }
}
