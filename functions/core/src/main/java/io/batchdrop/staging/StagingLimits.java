package io.batchdrop.staging;

/**
 * How much one staged shard (the input of one Vertex job) may hold. Vertex takes at most 200,000
 * requests and 1 GB per job; staged lines are a little larger than the uploaded ones (key and
 * label added), so the byte limit is checked on the staged bytes.
 */
public record StagingLimits(long maxRowsPerShard, long maxBytesPerShard) {
  public StagingLimits {
    if (maxRowsPerShard < 1 || maxBytesPerShard < 1) {
      throw new IllegalArgumentException("staging limits must be positive");
    }
  }

  public static StagingLimits defaults() {
    return new StagingLimits(200_000, 1_000_000_000L);
  }
}
