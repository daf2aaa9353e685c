package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A job crossed a watchdog threshold (sent once per threshold): someone should look. {@code reason}
 * says what was seen when the state alone does not (a job Vertex no longer knows, a refused get).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStuck(
    @JsonIgnore String runId,
    String jobId,
    String vertexName,
    String state,
    int stateValue,
    String threshold,
    String reason)
    implements LifecycleEvent {

  public JobStuck(
      String runId,
      String jobId,
      String vertexName,
      String state,
      int stateValue,
      String threshold) {
    this(runId, jobId, vertexName, state, stateValue, threshold, null);
  }

  @Override
  public String type() {
    return "job.stuck";
  }
}
