package io.batchdrop.emulator.gemini;

/** The wire names of a batch's state ({@code metadata.state}). */
public enum BatchState {
  BATCH_STATE_PENDING,
  BATCH_STATE_RUNNING,
  BATCH_STATE_SUCCEEDED,
  BATCH_STATE_FAILED,
  BATCH_STATE_CANCELLED,
  BATCH_STATE_EXPIRED;

  boolean isTerminal() {
    return this != BATCH_STATE_PENDING && this != BATCH_STATE_RUNNING;
  }
}
