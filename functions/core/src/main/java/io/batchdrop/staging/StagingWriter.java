package io.batchdrop.staging;

import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.ValidLine;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes, during validation, what will be submitted: each valid line normalized (its own bytes with
 * a few splices, {@link LineSplicer}, or, for a line of an unusual shape, re-encoded by {@link
 * StagedLineEncoder}) into shards cut at {@link StagingLimits}, and each invalid line with its
 * findings into {@code invalid.jsonl}. Memory stays at one line plus output buffers.
 *
 * <p>Use it as the validator's {@link LineListener}, then call {@link #finish()}. A line larger
 * than {@code maxBytesPerShard} on its own still gets a shard of its own. Not thread-safe.
 */
public final class StagingWriter implements LineListener, Closeable {

  private static final int OUTPUT_BUFFER = 256 * 1024;

  private final StagingOutput output;
  private final StagingLimits limits;
  private final StagedLineEncoder lineEncoder;
  private final LineSplicer splicer = new LineSplicer();
  private final boolean tokenPathOnly;
  private final InvalidRecordEncoder invalidEncoder;
  private final ByteSink line = new ByteSink();
  private final List<ShardInfo> shards = new ArrayList<>();

  private OutputStream shardOut;
  private int shardNumber;
  private long shardRows;
  private long shardBytes;
  private long shardFirstRow;
  private long shardLastRow;

  private OutputStream invalidOut;
  private long invalidRows;
  private boolean finished;

  public StagingWriter(StagingOutput output, StagingLimits limits) {
    this(output, limits, false);
  }

  /**
   * @param tokenPathOnly re-encode every valid line token by token, never splicing its bytes: the
   *     way staging worked before, kept for tests and the benchmark to compare with
   */
  StagingWriter(StagingOutput output, StagingLimits limits, boolean tokenPathOnly) {
    this.tokenPathOnly = tokenPathOnly;
    this.output = Objects.requireNonNull(output, "output");
    this.limits = Objects.requireNonNull(limits, "limits");
    var factory = StagingJson.factory();
    this.lineEncoder = new StagedLineEncoder(factory);
    this.invalidEncoder = new InvalidRecordEncoder(factory);
  }

  @Override
  public void onValidLine(ValidLine valid) throws IOException {
    checkOpen();
    // Most lines: their own bytes with a few splices, sized before anything is written.
    long size = tokenPathOnly ? -1 : splicer.plan(valid);
    boolean spliced = size >= 0;
    if (!spliced) {
      line.reset();
      lineEncoder.encode(valid, line);
      size = line.size();
    }
    boolean full =
        shardRows >= limits.maxRowsPerShard()
            || (shardRows > 0 && shardBytes + size > limits.maxBytesPerShard())
            || (shardRows > 0
                && valid.row() - shardFirstRow + 1 > StagingLimits.MAX_ROW_SPAN_PER_SHARD);
    if (shardOut == null || full) {
      if (shardNumber == limits.maxShards()) {
        // Stop here, before the rest of the file is read: the run could never record its jobs.
        throw new ShardLimitException(limits, valid.row());
      }
      closeShard();
      shardNumber++;
      shardOut = new BufferedOutputStream(output.openShard(shardNumber), OUTPUT_BUFFER);
      shardFirstRow = valid.row();
    }
    if (spliced) {
      splicer.writeTo(shardOut);
    } else {
      line.writeTo(shardOut);
    }
    shardRows++;
    shardBytes += size;
    shardLastRow = valid.row();
  }

  @Override
  public void onInvalidLine(InvalidLine invalid) throws IOException {
    checkOpen();
    if (invalidOut == null) {
      invalidOut = new BufferedOutputStream(output.openInvalid(), OUTPUT_BUFFER);
    }
    invalidEncoder.encode(invalid, invalidOut);
    invalidRows++;
  }

  /** Completes every stream and says what was written. */
  public StagingResult finish() throws IOException {
    checkOpen();
    finished = true;
    try {
      closeShard();
    } finally {
      closeInvalid();
    }
    return new StagingResult(shards, invalidRows);
  }

  /** Closes whatever is still open; after {@link #finish()} it does nothing. */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      if (shardOut != null) {
        shardOut.close();
        shardOut = null;
      }
    } finally {
      closeInvalid();
    }
  }

  private void closeShard() throws IOException {
    if (shardOut == null) {
      return;
    }
    OutputStream out = shardOut;
    shardOut = null;
    out.close();
    shards.add(new ShardInfo(shardNumber, shardRows, shardBytes, shardFirstRow, shardLastRow));
    shardRows = 0;
    shardBytes = 0;
  }

  private void closeInvalid() throws IOException {
    if (invalidOut != null) {
      OutputStream out = invalidOut;
      invalidOut = null;
      out.close();
    }
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("the staging writer is already finished");
    }
  }
}
