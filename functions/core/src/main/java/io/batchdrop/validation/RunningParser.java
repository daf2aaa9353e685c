package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * One Jackson parser over the lines a {@link LineReader} holds, reading one root value per line.
 * Creating a parser for each line cost about 150 ns and most of the validator's allocation (the
 * parser, its IOContext, a symbol table child and a read context per nesting level); Jackson reads
 * whitespace-separated root values one after another, so a parser created at one line's start
 * serves the lines after it, as long as the bytes it was given have not moved and the line before
 * ended cleanly where the next one starts. Otherwise the next line gets a new parser, created at
 * its own first byte.
 */
final class RunningParser {

  private final JsonFactory factory;

  private JsonParser parser;
  private byte[] buf;
  private long generation;
  private int start;
  private int end;
  private int next = -1;

  RunningParser(JsonFactory factory) {
    this.factory = factory;
  }

  /**
   * A parser whose next token is the first of the line {@code buf[off, contentEnd)}.
   *
   * @param generation the reader's {@link LineReader#generation()}: a new one means the bytes moved
   * @param bufferedEnd how far the buffer holds bytes that stay put within this generation
   */
  JsonParser at(byte[] buf, int off, int contentEnd, long generation, int bufferedEnd)
      throws IOException {
    if (parser == null
        || off != next
        || buf != this.buf
        || generation != this.generation
        || contentEnd > end) {
      close();
      parser = factory.createParser(buf, off, bufferedEnd - off);
      this.buf = buf;
      this.generation = generation;
      start = off;
      end = bufferedEnd;
    }
    next = -1;
    return parser;
  }

  /** The parser's offset of buffer index {@code index}. */
  long offsetOf(int index) {
    return index - start;
  }

  /**
   * The line ended cleanly (its value, then only whitespace up to its LF): the line at {@code
   * nextLineStart} may continue with this parser.
   */
  void continueAt(int nextLineStart) {
    next = nextLineStart;
  }

  /** Drops the parser: the next line gets a new one. */
  void close() {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException e) {
        // Closing a parser over a byte array releases buffers; there is nothing to fail.
      }
      parser = null;
    }
    next = -1;
  }
}
