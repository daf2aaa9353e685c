package io.batchdrop.publish;

/**
 * What a result message says about the job rather than the row.
 *
 * @param runId the run
 * @param jobId the job attempt whose output the row came from
 * @param attempt that job's attempt number, 1 for the first
 * @param model the model the job ran
 */
public record ResultContext(String runId, String jobId, int attempt, String model) {
  public ResultContext {
    if (runId == null || jobId == null || model == null) {
      throw new IllegalArgumentException("a result names its run, job and model");
    }
    if (attempt < 1) {
      throw new IllegalArgumentException("a job attempt is numbered from 1; got " + attempt);
    }
  }
}
