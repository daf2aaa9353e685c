package io.batchdrop.staging;

/** One staged shard: its number (from 1), row count, staged bytes and the rows it spans. */
public record ShardInfo(int shard, long rows, long bytes, long firstRow, long lastRow) {}
