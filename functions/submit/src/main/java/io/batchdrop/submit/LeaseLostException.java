package io.batchdrop.submit;

/**
 * Another invocation took the run over (this one stalled past its lease). Stop without side
 * effects; the owner finishes the run.
 */
final class LeaseLostException extends RuntimeException {
  LeaseLostException(String runId) {
    super("run " + runId + " was taken over by another invocation");
  }
}
