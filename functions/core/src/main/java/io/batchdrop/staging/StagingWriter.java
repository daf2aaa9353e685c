package io.batchdrop.staging;

import com.fasterxml.jackson.core.JsonFactory;
import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.ValidLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens to the validator and writes, in the same pass, what will be submitted: valid lines in
 * their staged form cut into shards within {@link StagingLimits}, and invalid lines into
 * {@code invalid.jsonl}. Memory holds one line at a time, whatever the file size.
 *
 * <p>A line is never split: a single line larger than the byte limit gets a shard of its own
 * (impossible with the defaults, where a line is at most a few MB and a shard 1 GB).
 */
public final class StagingWriter implements LineListener, AutoCloseable {
  private final StagingOutput output;
  private final StagingLimits limits;
  private final StagedLineWriter lines;
  private final InvalidLineWriter invalidLines;
  private final List<ShardInfo> shards = new ArrayList<>();

  private OutputStream shard;
  private int shardNumber;
  private long shardRows;
  private long shardBytes;
  private long shardFirstRow;
  private long shardLastRow;
  private OutputStream invalid;
  private long invalidRows;

  public StagingWriter(StagingOutput output, StagingLimits limits) {
    this.output = output;
    this.limits = limits;
    JsonFactory json = new JsonFactory();
    this.lines = new StagedLineWriter(json);
    this.invalidLines = new InvalidLineWriter(json);
  }

  @Override
  public void onValidLine(ValidLine line) throws IOException {
    ByteArrayOutputStream staged =
        lines.write(line.buffer(), line.offset(), line.length(), line.key(), line.row());
    long size = staged.size() + 1L;
    if (shard != null
        && (shardRows >= limits.maxRowsPerShard() || shardBytes + size > limits.maxBytesPerShard())) {
      closeShard();
    }
    if (shard == null) {
      shardNumber++;
      shard = output.openShard(shardNumber);
      shardFirstRow = line.row();
    }
    staged.writeTo(shard);
    shard.write('\n');
    shardRows++;
    shardBytes += size;
    shardLastRow = line.row();
  }

  @Override
  public void onInvalidLine(InvalidLine line) throws IOException {
    if (invalid == null) {
      invalid = output.openInvalid();
    }
    invalidLines.write(line, invalid);
    invalidRows++;
  }

  /** Closes every file, which completes its upload; returns what was written. */
  public StagingResult finish() throws IOException {
    closeShard();
    if (invalid != null) {
      invalid.close();
      invalid = null;
    }
    return new StagingResult(List.copyOf(shards), invalidRows);
  }

  private void closeShard() throws IOException {
    if (shard == null) {
      return;
    }
    shard.close();
    shard = null;
    shards.add(new ShardInfo(shardNumber, shardRows, shardBytes, shardFirstRow, shardLastRow));
    shardRows = 0;
    shardBytes = 0;
  }

  /** Releases the files after a failure; {@link #finish()} is the normal way to close. */
  @Override
  public void close() throws IOException {
    if (shard != null) {
      shard.close();
    }
    if (invalid != null) {
      invalid.close();
    }
  }
}
