package io.batchdrop.publish;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.log.StructuredLog;
import java.io.IOException;
import java.nio.channels.Channels;

/**
 * The user's key of a row, read back from the staged shard, for Gemini API output whose lines carry
 * only {@code key = row-N} (design §2): the staged line keeps the user's key (or {@code row-N} when
 * the user gave none). A forward cursor: the Gemini API writes responses in input order, so a whole
 * file costs one pass over the shard; a row behind the cursor reopens the shard from its start.
 */
final class StagedKeys implements AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");
  private final Storage storage;
  private final BlobId staged;
  private final int maxLineBytes;
  private ReadChannel channel;
  private StagedRows rows;
  private StagedRows.StagedRow current;

  /**
   * The keys of a job whose output names rows only by number (the Gemini API); null for one whose
   * output carries the user's key itself (Vertex echoes the request), or without staged input.
   */
  static StagedKeys forJob(Storage storage, FinishedJob job, int maxLineBytes) {
    if (!job.rowsKeyedByNumber() || job.inputUri() == null) {
      return null;
    }
    GcsLocation input = GcsLocation.parse(job.inputUri());
    BlobId staged = BlobId.of(input.bucket(), input.prefix());
    if (storage.get(staged) == null) {
      LOG.error()
          .job(job.jobId())
          .with("input", job.inputUri())
          .log("the staged input is gone: rows are published under their row-N keys");
      return null;
    }
    return new StagedKeys(storage, staged, maxLineBytes);
  }

  /** The row's key as publish sends it: the staged one, when the output names rows by number. */
  static PredictionRow keyed(StagedKeys keys, PredictionRow row) throws IOException {
    if (keys == null || !row.attributable()) {
      return row;
    }
    String key = keys.keyOf(row.row());
    return key == null ? row : row.withKey(key);
  }

  StagedKeys(Storage storage, BlobId staged, int maxLineBytes) {
    this.storage = storage;
    this.staged = staged;
    this.maxLineBytes = maxLineBytes;
  }

  /** The staged key of {@code row}; null when the shard has no such row. */
  String keyOf(long row) throws IOException {
    if (rows == null || (current != null && current.row() > row)) {
      reopen();
    }
    while (current == null || current.row() < row) {
      current = rows.next();
      if (current == null) {
        reopen(); // not in the shard: the next lookup starts over
        return null;
      }
    }
    return current.row() == row ? current.key() : null;
  }

  private void reopen() throws IOException {
    close();
    channel = storage.reader(staged);
    channel.setChunkSize(2 << 20);
    rows = new StagedRows(Channels.newInputStream(channel), 0, maxLineBytes);
    current = null;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
