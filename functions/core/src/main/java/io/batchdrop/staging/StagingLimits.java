package io.batchdrop.staging;

/**
 * Where staged output is cut into shards; each shard becomes one Vertex batch job.
 *
 * @param maxRowsPerShard most rows in one shard (Vertex: 200,000 requests per job)
 * @param maxBytesPerShard most bytes of staged output in one shard (Vertex: 1 GB per input file)
 */
public record StagingLimits(long maxRowsPerShard, long maxBytesPerShard) {

  public static final long DEFAULT_MAX_ROWS_PER_SHARD = 200_000;
  public static final long DEFAULT_MAX_BYTES_PER_SHARD = 1_000_000_000L;

  public StagingLimits {
    if (maxRowsPerShard < 1) {
      throw new IllegalArgumentException(
          "maxRowsPerShard must be at least 1, got " + maxRowsPerShard);
    }
    if (maxBytesPerShard < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerShard must be at least 1, got " + maxBytesPerShard);
    }
  }

  public static StagingLimits defaults() {
    return new StagingLimits(DEFAULT_MAX_ROWS_PER_SHARD, DEFAULT_MAX_BYTES_PER_SHARD);
  }
}
