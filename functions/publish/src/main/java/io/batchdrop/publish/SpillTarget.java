package io.batchdrop.publish;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;

/**
 * Where a response too large to hold in memory is written while it is read (design §4: {@code
 * runs/{runId}/payloads/…}). One target serves one output file; the reader opens at most one spill
 * per line and closes its stream when the response ends.
 */
public interface SpillTarget {

  /**
   * Opens a new object for the response of one output line.
   *
   * @param lineOffset the byte offset of the line in the output file: unique within the file and
   *     the same on every resume, so a name built from it is deterministic
   * @param row the row number when the line's row label came before its response, else 0: Vertex
   *     does not promise an order of members inside a line
   */
  Spill open(long lineOffset, long row) throws IOException;

  /** An object being written: the stream the response goes to, and where it will be read from. */
  record Spill(URI uri, OutputStream stream) {
    public Spill {
      if (uri == null || stream == null) {
        throw new IllegalArgumentException("a spill needs both its URI and its stream");
      }
    }
  }
}
