package io.batchdrop.cloud.events;

/**
 * A run nobody owns any more sits before {@code SUBMITTED} (sent once per threshold by poll's run
 * watchdog): {@code stalled} when it has been left longer than {@code BATCHDROP_RUN_STUCK_MINUTES};
 * {@code ended} when the watchdog finished or failed it past {@code BATCHDROP_RUN_MAX_AGE_HOURS}.
 */
public record RunStuck(String runId, String state, String threshold, String reason)
    implements LifecycleEvent {
  @Override
  public String type() {
    return "run.stuck";
  }
}
