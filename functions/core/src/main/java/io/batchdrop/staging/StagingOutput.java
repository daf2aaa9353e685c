package io.batchdrop.staging;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where the {@link StagingWriter} puts what it writes: Cloud Storage objects in the functions,
 * files for the command-line tool. Each stream is opened once, only when there is something to
 * write, and closed by the writer; closing it completes the object.
 */
public interface StagingOutput {

  /** A new stream for shard {@code shard} (numbered from 1). */
  OutputStream openShard(int shard) throws IOException;

  /** A new stream for {@code invalid.jsonl}; opened only when there is an invalid row. */
  OutputStream openInvalid() throws IOException;
}
