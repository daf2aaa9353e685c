package io.batchdrop.cloud.run;

/** Lifecycle of a run (design §4). */
public enum RunState {
  VALIDATING,
  REJECTED,
  SUBMITTED,
  RUNNING,
  PUBLISHING,
  SUCCEEDED,
  PARTIAL,
  FAILED,
  CANCELLED;

  /** Submit's part is done: a duplicate upload event has nothing left to do. */
  public boolean isPastSubmit() {
    return this != VALIDATING;
  }
}
