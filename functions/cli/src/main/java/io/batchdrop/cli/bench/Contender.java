package io.batchdrop.cli.bench;

import java.io.IOException;
import java.io.InputStream;

/** One way of reading a whole JSONL stream; the benchmark times it. */
interface Contender {
  String name();

  /**
   * Reads the stream to its end; returns a count that depends on the content (so no work is
   * skipped).
   */
  long scan(InputStream in) throws IOException;
}
