package io.batchdrop.submit;

import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.pricing.CostBudget;
import io.batchdrop.pricing.TokenEstimate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The run's pre-submit estimate as recorded (run document, {@code run.accepted}) and the budget
 * guard ({@link CostBudget}, shared with {@code batchdrop submit}).
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
    return CostBudget.exceeded(estimate, config.submit().maxRunCostUsd());
  }
}
