package io.batchdrop.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.UnsafeByteOperations;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.results.PubSubLimits;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.results.RowResult;
import io.batchdrop.cloud.results.RowStatus;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;

/**
 * Turns one row's outcome into its result message (design §5) and hands it to the publisher: data
 * written once from Vertex's bytes, attributes within Pub/Sub's limits, and a response that would
 * pass the message limit written to {@code payloads/} with {@code payload_uri} in its place.
 */
final class ResultSender {
  private final ResultPublisher publisher;
  private final ResultContext context;
  private final ResultData data;
  private final String sourceUri;
  private final Clock clock;
  private final boolean spillInlineMedia;

  ResultSender(ResultPublisher publisher, ResultContext context, String sourceUri, Clock clock) {
    this(publisher, context, sourceUri, clock, false);
  }

  /**
   * @param spillInlineMedia a succeeded response's {@code inlineData} goes to {@code payloads/} and
   *     is referenced by {@code fileData} ({@link InlineMedia})
   */
  ResultSender(
      ResultPublisher publisher,
      ResultContext context,
      String sourceUri,
      Clock clock,
      boolean spillInlineMedia) {
    this.spillInlineMedia = spillInlineMedia;
    this.publisher = publisher;
    this.context = context;
    this.data = new ResultData(context);
    this.sourceUri = sourceUri;
    this.clock = clock;
  }

  /** A row read from the output. */
  void send(PredictionRow row, RowVerdict verdict, GcsSpillTarget spill) throws IOException {
    if (spillInlineMedia && verdict.succeeded()) {
      row =
          row.response() != null && !row.response().inMemory()
              ? InlineMedia.rewriteSpilled(row, spill)
              : InlineMedia.rewrite(row, spill);
    }
    byte[] bytes = data.toBytes(row, verdict, null);
    if (bytes.length > PubSubLimits.MAX_RESULT_DATA_BYTES) {
      URI payload = spill.write(row.offset(), row.response());
      bytes = data.toBytes(row, verdict, payload);
    }
    publisher.publish(message(context, sourceUri, row, verdict, bytes));
  }

  /**
   * The message of a row read from the output, around its data: shared with {@link RunReplay},
   * which must send what was sent.
   */
  static PubsubMessage message(
      ResultContext context, String sourceUri, PredictionRow row, RowVerdict verdict, byte[] data) {
    ResponseBody response = row.response();
    return RowResult.attributes(
            context.runId(),
            context.jobId(),
            row.row(),
            keyOf(row.key(), row.row()),
            verdict.succeeded() ? RowStatus.SUCCEEDED : RowStatus.FAILED,
            context.attempt(),
            context.model(),
            response == null ? null : response.finishReason(),
            sourceUri,
            context.runId() + "/" + row.row() + "/" + context.attempt())
        // The array is written once by ResultData and never touched again: wrapped, not copied.
        .setData(UnsafeByteOperations.unsafeWrap(data))
        .build();
  }

  /** A row that has no output to show: {@code missing}, or {@code failed} with the job's error. */
  void sendWithoutOutput(long row, String key, RowStatus status, JsonNode error) {
    publisher.publish(withoutOutput(context, sourceUri, clock, row, key, status, error));
  }

  /** The message of a row without output; shared with {@link RunReplay}. */
  static PubsubMessage withoutOutput(
      ResultContext context,
      String sourceUri,
      Clock clock,
      long row,
      String key,
      RowStatus status,
      JsonNode error) {
    return new RowResult(
            context.runId(),
            row,
            keyOf(key, row),
            status,
            context.attempt(),
            context.model(),
            context.jobId(),
            null,
            sourceUri,
            clock.instant(),
            null,
            error,
            null)
        .toMessage();
  }

  long flush() throws InterruptedException {
    return publisher.flush();
  }

  /** Cuts the stream of messages: see {@link ResultPublisher#mark()}. */
  long mark() {
    return publisher.mark();
  }

  /** Waits for the messages sent before the mark: see {@link ResultPublisher#awaitConfirmed}. */
  void awaitConfirmed(long mark) throws InterruptedException {
    publisher.awaitConfirmed(mark);
  }

  /** The staged key is the user's own or {@code row-N}; Vertex not echoing it leaves the row. */
  private static String keyOf(String key, long row) {
    return key == null ? "row-" + row : key;
  }
}
