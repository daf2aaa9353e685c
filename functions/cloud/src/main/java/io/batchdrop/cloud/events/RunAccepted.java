package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The upload passed validation and its shards are staged; jobs follow. {@code estimate} is the
 * pre-submit estimate of tokens and batch cost (design §3), absent on runs staged before it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunAccepted(
    String runId,
    String source,
    String model,
    int shards,
    long rows,
    long valid,
    long invalid,
    Map<String, Object> estimate)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "run.accepted";
  }
}
