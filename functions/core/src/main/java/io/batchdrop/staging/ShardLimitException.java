package io.batchdrop.staging;

import java.io.IOException;

/**
 * Staging stopped because the file needs more shards than a run may have ({@link
 * StagingLimits#maxShards()}): the upload is rejected with this message as its reason.
 */
public final class ShardLimitException extends IOException {

  /**
   * @param row the row (input line number) that would have begun the shard past the limit
   */
  public ShardLimitException(StagingLimits limits, long row) {
    super(
        String.format(
            "the file needs more than %,d batch jobs; expected at most %,d, the shards one run"
                + " records within Firestore's 1 MiB run document: reading stopped at line %,d,"
                + " where shard %,d would begin (a shard holds at most %,d rows, %,d bytes and"
                + " %,d lines from its first row to its last, blank and invalid lines between"
                + " them included); split the file, or leave out its blank and invalid lines",
            limits.maxShards(),
            limits.maxShards(),
            row,
            limits.maxShards() + 1L,
            limits.maxRowsPerShard(),
            limits.maxBytesPerShard(),
            StagingLimits.MAX_ROW_SPAN_PER_SHARD));
  }

  /** The exception in {@code e}'s chain of causes, as the staging thread's failure arrives. */
  public static java.util.Optional<ShardLimitException> in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShardLimitException limit) {
        return java.util.Optional.of(limit);
      }
    }
    return java.util.Optional.empty();
  }
}
