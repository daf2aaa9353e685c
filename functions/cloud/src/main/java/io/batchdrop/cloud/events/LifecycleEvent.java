package io.batchdrop.cloud.events;

/**
 * One event on the events topic (design §5): its {@code type}, the run and (for job events) the job
 * it is about, and its data, which is the record itself encoded by {@link EventPublisher}.
 */
public sealed interface LifecycleEvent
    permits RunAccepted,
        RunRejected,
        JobSubmitted,
        JobStateChanged,
        JobStuck,
        RunCompleted,
        RunStuck {

  /** The CloudEvents {@code type}, e.g. {@code run.accepted}. */
  String type();

  String runId();

  /** The job an event is about; null for run events. */
  default String jobId() {
    return null;
  }
}
