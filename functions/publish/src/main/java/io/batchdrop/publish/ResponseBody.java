package io.batchdrop.publish;

import io.batchdrop.pricing.TokenUsage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Arrays;

/**
 * The {@code response} object of one output line, byte for byte as Vertex wrote it, either held in
 * memory or spilled to a {@link SpillTarget}, with the facts read while it was copied: the token
 * usage, the first candidate's finish reason, the number of candidates and the prompt's block
 * reason.
 */
public final class ResponseBody {

  private final byte[] bytes;
  private final long length;
  private final URI spillUri;
  private final boolean empty;
  private final int candidates;
  private final String finishReason;
  private final TokenUsage usage;
  private final String blockReason;

  ResponseBody(
      byte[] bytes,
      long length,
      URI spillUri,
      boolean empty,
      int candidates,
      String finishReason,
      TokenUsage usage,
      String blockReason) {
    this.bytes = bytes;
    this.length = length;
    this.spillUri = spillUri;
    this.empty = empty;
    this.candidates = candidates;
    this.finishReason = finishReason;
    this.usage = usage;
    this.blockReason = blockReason;
  }

  /** The size of the JSON object in bytes. */
  public long length() {
    return length;
  }

  /** True when the bytes are held here; false when they were spilled (see {@link #spillUri()}). */
  public boolean inMemory() {
    return spillUri == null;
  }

  /** Where the spilled bytes are; null when they are in memory. */
  public URI spillUri() {
    return spillUri;
  }

  /** Writes the JSON object as Vertex wrote it; only for a response held in memory. */
  public void writeTo(OutputStream out) throws IOException {
    requireInMemory();
    out.write(bytes, 0, (int) length);
  }

  /** Copies the JSON object into {@code to} at {@code at}; returns its length. In memory only. */
  int copyTo(byte[] to, int at) {
    requireInMemory();
    System.arraycopy(bytes, 0, to, at, (int) length);
    return (int) length;
  }

  /** A copy of the JSON object's bytes; only for a response held in memory. */
  public byte[] toByteArray() {
    requireInMemory();
    return Arrays.copyOf(bytes, (int) length);
  }

  /** The array holding the bytes, {@code [0, length)}; in memory only, never to be changed. */
  byte[] bytesHeld() {
    requireInMemory();
    return bytes;
  }

  /** The same facts over other bytes: a response rewritten (its inline media moved). */
  ResponseBody withBytes(byte[] rewritten) {
    return new ResponseBody(
        rewritten, rewritten.length, null, empty, candidates, finishReason, usage, blockReason);
  }

  /** The same facts spilled elsewhere: a spilled response rewritten into another object. */
  ResponseBody withSpillUri(URI rewritten, long rewrittenLength) {
    return new ResponseBody(
        null, rewrittenLength, rewritten, empty, candidates, finishReason, usage, blockReason);
  }

  /** True for {@code {}}: an object without members, which the classification treats as absent. */
  public boolean isEmpty() {
    return empty;
  }

  /** The number of elements of {@code candidates}; 0 when it is absent, null or empty. */
  public int candidateCount() {
    return candidates;
  }

  /** {@code candidates[0].finishReason}; null when absent. */
  public String finishReason() {
    return finishReason;
  }

  /** The {@code usageMetadata} counts (absent counts zero); null when there is no usageMetadata. */
  public TokenUsage usage() {
    return usage;
  }

  /** {@code promptFeedback.blockReason}; null when absent. */
  public String blockReason() {
    return blockReason;
  }

  private void requireInMemory() {
    if (spillUri != null) {
      throw new IllegalStateException(
          "the response was spilled to " + spillUri + "; read it from there");
    }
  }

  @Override
  public String toString() {
    return "ResponseBody["
        + length
        + " bytes"
        + (spillUri == null ? " in memory" : " at " + spillUri)
        + ", candidates="
        + candidates
        + ", finishReason="
        + finishReason
        + ", usage="
        + usage
        + ", blockReason="
        + blockReason
        + "]";
  }
}
