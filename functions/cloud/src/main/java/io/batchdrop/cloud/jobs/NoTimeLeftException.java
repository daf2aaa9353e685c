package io.batchdrop.cloud.jobs;

/**
 * The caller's invocation has less time left than one create attempt takes, and the shard attempt
 * has no job yet: nothing was written or sent for it. The caller's function fails on purpose so its
 * event is redelivered, and the redelivery, with a whole timeout of its own, creates the job. Not a
 * failure of the run: the invocation moved it on as far as its time allowed.
 */
public final class NoTimeLeftException extends RuntimeException {
  public NoTimeLeftException(String jobId) {
    super(
        "no time left in this invocation for the create of job "
            + jobId
            + "; asking for redelivery",
        null,
        false,
        false); // expected, so no stack trace in the logs
  }
}
