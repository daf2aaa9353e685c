package io.batchdrop.cloud.events;

import java.util.List;
import java.util.Map;

/** The upload was rejected as a whole; nothing was submitted. {@code counts} as in the run. */
public record RunRejected(
    String runId,
    String source,
    String reason,
    Map<String, Object> counts,
    String reportUri,
    List<Map<String, Object>> firstErrors)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "run.rejected";
  }
}
