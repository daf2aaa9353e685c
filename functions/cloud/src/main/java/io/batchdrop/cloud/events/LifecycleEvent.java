package io.batchdrop.cloud.events;

/** The lifecycle event types on the events topic (DESIGN §5). */
public enum LifecycleEvent {
  RUN_ACCEPTED("run.accepted"),
  RUN_REJECTED("run.rejected"),
  JOB_SUBMITTED("job.submitted"),
  JOB_STATE_CHANGED("job.state_changed"),
  JOB_STUCK("job.stuck"),
  RUN_COMPLETED("run.completed");

  private final String type;

  LifecycleEvent(String type) {
    this.type = type;
  }

  public String type() {
    return type;
  }
}
