package io.batchdrop.staging;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where staged files go: the submit function writes them to the work bucket, the command line to
 * a directory. Each stream is opened at most once, lazily, and closed by the {@link StagingWriter}.
 */
public interface StagingOutput {
  /** The staged input of shard {@code shard} (numbered from 1). */
  OutputStream openShard(int shard) throws IOException;

  /** {@code invalid.jsonl}: one line per row set aside. Not opened when every row is valid. */
  OutputStream openInvalid() throws IOException;
}
