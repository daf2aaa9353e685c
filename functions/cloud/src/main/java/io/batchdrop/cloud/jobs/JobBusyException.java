package io.batchdrop.cloud.jobs;

/**
 * Another caller (poll healing the job, or a stalled earlier delivery) holds the create claim of a
 * shard attempt's job. The caller's function fails on purpose so its event is redelivered; by then
 * the job is recorded and the delivery moves on.
 */
public final class JobBusyException extends RuntimeException {
  public JobBusyException(String jobId) {
    super(
        "job " + jobId + " is being created by another caller; asking for redelivery",
        null,
        false,
        false); // expected, so no stack trace in the logs
  }
}
