package io.batchdrop.staging;

import java.util.List;

/**
 * What the {@link StagingWriter} wrote.
 *
 * @param shards the shards in order; empty when no row was valid
 * @param invalidRows rows written to {@code invalid.jsonl}
 */
public record StagingResult(List<ShardInfo> shards, long invalidRows) {

  public StagingResult {
    shards = List.copyOf(shards);
  }

  /** Rows staged for submission, over all shards. */
  public long stagedRows() {
    return shards.stream().mapToLong(ShardInfo::rows).sum();
  }
}
