package io.batchdrop.cloud.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A batch job exists for a shard attempt. {@code recovered} is true when {@code poll} found or
 * created it after the submitting invocation lost the answer; absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSubmitted(
    @JsonIgnore String runId,
    String jobId,
    String vertexName,
    int shard,
    long rows,
    String model,
    Boolean recovered)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "job.submitted";
  }
}
