package io.batchdrop.staging;

/**
 * Where staged output is cut into shards; each shard becomes one Vertex batch job.
 *
 * @param maxRowsPerShard most rows in one shard (Vertex: 200,000 requests per job)
 * @param maxBytesPerShard most bytes of staged output in one shard (Vertex: 1 GB per input file)
 * @param maxShards most shards of one run: staging stops with a {@link ShardLimitException} before
 *     it begins one more ({@link RunShardBudget#MAX_SHARDS}: what the run document can record)
 */
public record StagingLimits(long maxRowsPerShard, long maxBytesPerShard, int maxShards) {

  public static final long DEFAULT_MAX_ROWS_PER_SHARD = 200_000;
  public static final long DEFAULT_MAX_BYTES_PER_SHARD = 1_000_000_000L;

  /**
   * The widest span of rows, first to last, one shard may cover: the invalid and blank lines
   * between its valid rows widen it. Publish keeps a bitset over the span in the job's checkpoint
   * (250 KB at this width, far below Firestore's 1 MiB document), so a shard is cut here too.
   */
  public static final long MAX_ROW_SPAN_PER_SHARD = 2_000_000;

  /**
   * Most bytes staging adds to a valid line beyond the line limit: the top-level {@code key} (at
   * most 256 characters, escaped) and the {@code batchdrop_row} label. The brackets staging puts
   * around a single-object {@code parts} are within the limit: the validator counts them as part of
   * the line. Every reader of staged lines allows the line limit plus this.
   */
  public static final int MAX_LINE_GROWTH_BYTES = 64 * 1024;

  public StagingLimits {
    if (maxRowsPerShard < 1) {
      throw new IllegalArgumentException(
          "maxRowsPerShard must be at least 1, got " + maxRowsPerShard);
    }
    if (maxBytesPerShard < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerShard must be at least 1, got " + maxBytesPerShard);
    }
    if (maxShards < 1) {
      throw new IllegalArgumentException("maxShards must be at least 1, got " + maxShards);
    }
  }

  public static StagingLimits defaults() {
    return new StagingLimits(
        DEFAULT_MAX_ROWS_PER_SHARD, DEFAULT_MAX_BYTES_PER_SHARD, RunShardBudget.MAX_SHARDS);
  }
}
