package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job moved to another state. {@code completionStats} once Vertex reports them; {@code error}
 * only for jobs that failed or were cancelled.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStateChanged(
    @JsonIgnore String runId,
    String jobId,
    String vertexName,
    String previousState,
    String state,
    int stateValue,
    CompletionStats completionStats,
    JobError error)
    implements LifecycleEvent {

  public record CompletionStats(long successfulCount, long failedCount, long incompleteCount) {}

  public record JobError(int code, String message) {}

  @Override
  public String type() {
    return "job.state_changed";
  }
}
