package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.pricing.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * Writes the data of one result message (design §5) for a row read from Vertex's output:
 *
 * <pre>{@code
 * {"runId", "row", "key", "status", "attempt", "model", "jobId", "processedTime", "finishReason",
 *  "response" | "payload_uri", "error": {code, status, message} | null,
 *  "usage": {prompt, cached, candidates, thoughts, toolUse, total} | null,
 *  "promptFeedback": {blockReason} | null}
 * }</pre>
 *
 * A response held in memory is embedded as the bytes Vertex wrote, never parsed again; a spilled
 * one, or any one when the caller gives a payload URI (say because the message would pass Pub/Sub's
 * 10 MB), is replaced by {@code payload_uri}. {@code key} is null when Vertex did not echo it;
 * {@code usage} uses {@link TokenUsage}'s names, the same as the run's token sums.
 */
public final class ResultData {

  private ResultData() {}

  /** The data with the response embedded, or its spill URI when it was spilled. */
  public static byte[] toBytes(ResultContext context, PredictionRow row, RowVerdict verdict) {
    return toBytes(context, row, verdict, null);
  }

  /** The data with {@code payload_uri} instead of the response when {@code payloadUri} is set. */
  public static byte[] toBytes(
      ResultContext context, PredictionRow row, RowVerdict verdict, URI payloadUri) {
    ResponseBody response = row.response();
    int size = response != null && response.inMemory() ? (int) response.length() : 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
    try {
      write(context, row, verdict, payloadUri, out);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array does not fail", e);
    }
    return out.toByteArray();
  }

  /** Writes the data to {@code out}; {@code payloadUri} may be null. */
  public static void write(
      ResultContext context,
      PredictionRow row,
      RowVerdict verdict,
      URI payloadUri,
      OutputStream out)
      throws IOException {
    if (!row.attributable()) {
      throw new IllegalArgumentException(
          "an unattributable line has no result message: " + row.problem());
    }
    ResponseBody response = row.response();
    try (JsonGenerator g = PublishJson.factory().createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("runId", context.runId());
      g.writeNumberField("row", row.row());
      g.writeStringField("key", row.key());
      g.writeStringField("status", verdict.label());
      g.writeNumberField("attempt", context.attempt());
      g.writeStringField("model", context.model());
      g.writeStringField("jobId", context.jobId());
      g.writeStringField("processedTime", row.processedTime());
      g.writeStringField("finishReason", response == null ? null : response.finishReason());
      URI pointer = payloadUri != null ? payloadUri : response == null ? null : response.spillUri();
      if (pointer != null) {
        g.writeStringField("payload_uri", pointer.toString());
      } else if (response == null) {
        g.writeNullField("response");
      } else {
        g.writeFieldName("response");
        // Makes the generator write the ':' of a value, then the value goes straight to the stream.
        g.writeRawValue("");
        g.flush();
        response.writeTo(out);
      }
      error(g, verdict.error());
      usage(g, response == null ? null : response.usage());
      if (response == null || response.blockReason() == null) {
        g.writeNullField("promptFeedback");
      } else {
        g.writeObjectFieldStart("promptFeedback");
        g.writeStringField("blockReason", response.blockReason());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
  }

  private static void error(JsonGenerator g, RowError error) throws IOException {
    if (error == null) {
      g.writeNullField("error");
      return;
    }
    g.writeObjectFieldStart("error");
    if (error.code() == null) {
      g.writeNullField("code");
    } else {
      g.writeNumberField("code", error.code());
    }
    g.writeStringField("status", error.status());
    g.writeStringField("message", error.message());
    g.writeEndObject();
  }

  private static void usage(JsonGenerator g, TokenUsage usage) throws IOException {
    if (usage == null) {
      g.writeNullField("usage");
      return;
    }
    g.writeObjectFieldStart("usage");
    g.writeNumberField("prompt", usage.prompt());
    g.writeNumberField("cached", usage.cached());
    g.writeNumberField("candidates", usage.candidates());
    g.writeNumberField("thoughts", usage.thoughts());
    g.writeNumberField("toolUse", usage.toolUse());
    g.writeNumberField("total", usage.total());
    g.writeEndObject();
  }
}
