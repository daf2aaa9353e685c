package io.batchdrop.cloud.events;

/** The upload passed validation and its shards are staged; jobs follow. */
public record RunAccepted(
    String runId, String source, String model, int shards, long rows, long valid, long invalid)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "run.accepted";
  }
}
