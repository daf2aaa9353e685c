package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A job crossed a watchdog threshold (sent once per threshold): someone should look. */
public record JobStuck(
    @JsonIgnore String runId,
    String jobId,
    String vertexName,
    String state,
    int stateValue,
    String threshold)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "job.stuck";
  }
}
