package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The run ended: its final state and, once {@code publish} closed it, the final counts, tokens and
 * cost, so a subscriber can wait for this one message instead of counting rows. {@code reason} says
 * why a run failed; {@code problem} reports counts that do not add up.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunCompleted(
    String runId,
    String state,
    String reason,
    Map<String, Long> counts,
    Map<String, Long> tokens,
    Map<String, Object> cost,
    String reportUri,
    String problem)
    implements LifecycleEvent {

  /** A run that ended before any row was published: only its state and the reason. */
  public static RunCompleted failedEarly(String runId, String state, String reason) {
    return new RunCompleted(runId, state, reason, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "run.completed";
  }
}
