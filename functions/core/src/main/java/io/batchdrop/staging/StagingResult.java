package io.batchdrop.staging;

import java.util.List;

/** What a {@link StagingWriter} wrote: the shards in order, and how many rows were set aside. */
public record StagingResult(List<ShardInfo> shards, long invalidRows) {
  public long stagedRows() {
    return shards.stream().mapToLong(ShardInfo::rows).sum();
  }
}
