package io.batchdrop.emulator.vertex;

/**
 * What one Gemini batch prediction job may read (reference vertex-batch.md §1.7): at most 200,000
 * requests and 1 GB of input. A job past either fails at import with INVALID_ARGUMENT, as a file
 * the importer refuses does, so a test fails where the real job would.
 *
 * @param maxRequests most non-blank input lines of one job
 * @param maxInputBytes most bytes of all its input objects together
 */
public record JobLimits(long maxRequests, long maxInputBytes) {

  /** Vertex AI's: 200,000 requests, 1 GB (counted as 10^9 bytes, the stricter reading). */
  public static final JobLimits VERTEX = new JobLimits(200_000, 1_000_000_000L);

  public JobLimits {
    if (maxRequests < 1 || maxInputBytes < 1) {
      throw new IllegalArgumentException(
          "job limits must be positive, got " + maxRequests + " and " + maxInputBytes);
    }
  }
}
