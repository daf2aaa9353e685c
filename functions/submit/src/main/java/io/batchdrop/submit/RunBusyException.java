package io.batchdrop.submit;

/**
 * A duplicate event arrived while another invocation holds the run's lease. The function fails on
 * purpose so the event is redelivered later: if the holder dies, that later delivery finds the
 * lease expired and finishes the run; if it succeeds, the delivery finds the run done.
 */
final class RunBusyException extends RuntimeException {
  RunBusyException(String runId) {
    super(
        "run " + runId + " is being submitted by another invocation; asking for redelivery",
        null,
        false,
        false); // expected, so no stack trace in the logs
  }
}
