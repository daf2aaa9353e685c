package io.batchdrop.submit;

/**
 * Another caller (poll healing the job, or a stalled earlier delivery) holds the create claim of a
 * shard's job. The function fails on purpose so the event is redelivered; by then the job is
 * recorded and the delivery moves on.
 */
final class JobBusyException extends RuntimeException {
  JobBusyException(String jobId) {
    super("job " + jobId + " is being created by another caller; asking for redelivery");
  }
}
