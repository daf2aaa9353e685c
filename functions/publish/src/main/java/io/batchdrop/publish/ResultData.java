package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.pricing.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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

  private static final byte[] NULL = ascii("null");
  private static final byte[] KEY = ascii(",\"key\":");
  private static final byte[] STATUS_SUCCEEDED = ascii(",\"status\":\"succeeded\"");
  private static final byte[] FINISH_REASON = ascii(",\"finishReason\":");
  private static final byte[] PAYLOAD_URI = ascii(",\"payload_uri\":");
  private static final byte[] RESPONSE = ascii(",\"response\":");
  private static final byte[] ERROR_NULL = ascii(",\"error\":null");
  private static final byte[] USAGE_NULL = ascii(",\"usage\":null");
  private static final byte[][] USAGE = {
    ascii(",\"usage\":{\"prompt\":"),
    ascii(",\"cached\":"),
    ascii(",\"candidates\":"),
    ascii(",\"thoughts\":"),
    ascii(",\"toolUse\":"),
    ascii(",\"total\":")
  };
  private static final byte[] FEEDBACK_NULL = ascii(",\"promptFeedback\":null}");
  private static final byte[] FEEDBACK = ascii(",\"promptFeedback\":{\"blockReason\":");
  private static final byte[] END_FEEDBACK = ascii("}}");

  private final ResultContext context;

  /** {@code {"runId":…,"row":}, as Jackson writes it. */
  private final byte[] head;

  /** {@code ,"attempt":…,"model":…,"jobId":…,"processedTime":}, as Jackson writes it. */
  private final byte[] middle;

  /**
   * The data of one job's rows. What is the job's, not the row's, is written by Jackson once here;
   * per row, a succeeded row whose own strings need no escaping (printable ASCII: Vertex's times
   * and finish reasons, staging's {@code row-N} keys) is written straight into an array of its
   * exact size, to the byte what Jackson writes ({@code ResultDataTest} compares the two); any
   * other row goes through Jackson. The generator a row was a tenth of publish's reading thread.
   */
  public ResultData(ResultContext context) {
    this.context = context;
    this.head = ascii("{\"runId\":" + jsonString(context.runId()) + ",\"row\":");
    this.middle =
        utf8(
            ",\"attempt\":"
                + context.attempt()
                + ",\"model\":"
                + jsonString(context.model())
                + ",\"jobId\":"
                + jsonString(context.jobId())
                + ",\"processedTime\":");
  }

  /** The data with the response embedded, or its spill URI when it was spilled. */
  public static byte[] toBytes(ResultContext context, PredictionRow row, RowVerdict verdict) {
    return new ResultData(context).toBytes(row, verdict, null);
  }

  /** The data with {@code payload_uri} instead of the response when {@code payloadUri} is set. */
  public static byte[] toBytes(
      ResultContext context, PredictionRow row, RowVerdict verdict, URI payloadUri) {
    return new ResultData(context).toBytes(row, verdict, payloadUri);
  }

  /** The data with {@code payload_uri} instead of the response when {@code payloadUri} is set. */
  public byte[] toBytes(PredictionRow row, RowVerdict verdict, URI payloadUri) {
    if (!row.attributable()) {
      throw new IllegalArgumentException(
          "an unattributable line has no result message: " + row.problem());
    }
    byte[] direct = direct(row, verdict, payloadUri);
    return direct != null ? direct : generated(context, row, verdict, payloadUri);
  }

  /** Through Jackson's generator: any row. */
  static byte[] generated(
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

  /**
   * Written directly, or null when the row is not one this writes (failed, a string that needs
   * escaping, a negative count): those go through Jackson.
   */
  private byte[] direct(PredictionRow row, RowVerdict verdict, URI payloadUri) {
    if (!verdict.succeeded()) {
      return null;
    }
    ResponseBody response = row.response();
    URI pointerUri =
        payloadUri != null ? payloadUri : response == null ? null : response.spillUri();
    String pointer = pointerUri == null ? null : pointerUri.toString();
    String finishReason = response == null ? null : response.finishReason();
    String blockReason = response == null ? null : response.blockReason();
    TokenUsage usage = response == null ? null : response.usage();
    String key = row.key();
    String processedTime = row.processedTime();
    if (!plain(key)
        || !plain(processedTime)
        || !plain(finishReason)
        || !plain(pointer)
        || !plain(blockReason)
        || (usage != null && !countable(usage))) {
      return null;
    }
    long size =
        head.length
            + digits(row.row())
            + KEY.length
            + quotedLength(key)
            + STATUS_SUCCEEDED.length
            + middle.length
            + quotedLength(processedTime)
            + FINISH_REASON.length
            + quotedLength(finishReason)
            + ERROR_NULL.length;
    if (pointer != null) {
      size += PAYLOAD_URI.length + quotedLength(pointer);
    } else {
      size += RESPONSE.length + (response == null ? NULL.length : response.length());
    }
    if (usage == null) {
      size += USAGE_NULL.length;
    } else {
      size += USAGE[0].length + USAGE[1].length + USAGE[2].length;
      size += USAGE[3].length + USAGE[4].length + USAGE[5].length + 1;
      size += digits(usage.prompt()) + digits(usage.cached()) + digits(usage.candidates());
      size += digits(usage.thoughts()) + digits(usage.toolUse()) + digits(usage.total());
    }
    size +=
        blockReason == null
            ? FEEDBACK_NULL.length
            : FEEDBACK.length + quotedLength(blockReason) + END_FEEDBACK.length;
    if (size > Integer.MAX_VALUE - 16) {
      return null;
    }
    Out out = new Out(new byte[(int) size]);
    out.put(head).number(row.row()).put(KEY).string(key).put(STATUS_SUCCEEDED).put(middle);
    out.string(processedTime).put(FINISH_REASON).string(finishReason);
    if (pointer != null) {
      out.put(PAYLOAD_URI).string(pointer);
    } else if (response == null) {
      out.put(RESPONSE).put(NULL);
    } else {
      out.put(RESPONSE).response(response);
    }
    out.put(ERROR_NULL);
    if (usage == null) {
      out.put(USAGE_NULL);
    } else {
      out.put(USAGE[0]).number(usage.prompt()).put(USAGE[1]).number(usage.cached());
      out.put(USAGE[2]).number(usage.candidates()).put(USAGE[3]).number(usage.thoughts());
      out.put(USAGE[4]).number(usage.toolUse()).put(USAGE[5]).number(usage.total()).put('}');
    }
    if (blockReason == null) {
      out.put(FEEDBACK_NULL);
    } else {
      out.put(FEEDBACK).string(blockReason).put(END_FEEDBACK);
    }
    return out.done();
  }

  /** Null, or printable ASCII with no quote or backslash: Jackson writes it as is. */
  private static boolean plain(String s) {
    if (s == null) {
      return true;
    }
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean countable(TokenUsage u) {
    return u.prompt() >= 0
        && u.cached() >= 0
        && u.candidates() >= 0
        && u.thoughts() >= 0
        && u.toolUse() >= 0
        && u.total() >= 0;
  }

  private static int quotedLength(String plain) {
    return plain == null ? NULL.length : plain.length() + 2;
  }

  /** The decimal digits of {@code n >= 0}. */
  private static int digits(long n) {
    int d = 1;
    while (n >= 10) {
      n /= 10;
      d++;
    }
    return d;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code s} as a JSON string, escaped as Jackson escapes it. */
  private static String jsonString(String s) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = PublishJson.factory().createGenerator(out)) {
      g.writeString(s);
    } catch (IOException e) {
      throw new UncheckedIOException("a string writer does not fail", e);
    }
    return out.toString();
  }

  /** Fills an array of the exact size. */
  private static final class Out {
    private final byte[] bytes;
    private int at;

    Out(byte[] bytes) {
      this.bytes = bytes;
    }

    Out put(byte[] b) {
      System.arraycopy(b, 0, bytes, at, b.length);
      at += b.length;
      return this;
    }

    Out put(char c) {
      bytes[at++] = (byte) c;
      return this;
    }

    Out string(String plain) {
      if (plain == null) {
        return put(NULL);
      }
      bytes[at++] = '"';
      for (int i = 0, n = plain.length(); i < n; i++) {
        bytes[at++] = (byte) plain.charAt(i);
      }
      bytes[at++] = '"';
      return this;
    }

    Out number(long n) {
      int end = at + digits(n);
      int i = end;
      do {
        bytes[--i] = (byte) ('0' + n % 10);
        n /= 10;
      } while (n > 0);
      at = end;
      return this;
    }

    Out response(ResponseBody response) {
      at += response.copyTo(bytes, at);
      return this;
    }

    byte[] done() {
      if (at != bytes.length) {
        throw new IllegalStateException(
            "the result data was sized " + bytes.length + " bytes and written " + at);
      }
      return bytes;
    }
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
