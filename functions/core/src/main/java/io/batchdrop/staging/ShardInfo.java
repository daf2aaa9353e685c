package io.batchdrop.staging;

/**
 * One shard as written.
 *
 * @param shard 1-based shard number
 * @param bytes bytes of staged output, line terminators included
 * @param firstRow row (input line number) of the shard's first line
 * @param lastRow row of its last line
 */
public record ShardInfo(int shard, long rows, long bytes, long firstRow, long lastRow) {}
