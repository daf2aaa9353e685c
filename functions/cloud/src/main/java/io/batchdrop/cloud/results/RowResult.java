package io.batchdrop.cloud.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Instant;

/**
 * One message on the results topic: the terminal outcome of one input row (design §5). {@code
 * attempt} is 0 for rows that never reached Vertex (status {@code invalid}); {@code jobId} and
 * {@code finishReason} are null when they do not apply and then left out of the attributes.
 */
public record RowResult(
    String runId,
    long row,
    String key,
    RowStatus status,
    int attempt,
    String model,
    String jobId,
    String finishReason,
    String sourceUri,
    Instant processedTime,
    JsonNode response,
    JsonNode error,
    JsonNode usage) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public String dedupId() {
    return runId + "/" + row + "/" + attempt;
  }

  /**
   * The message: attributes cut to Pub/Sub's 1,024 bytes (the key whole in the data), and a data
   * object that keeps within the message limit (findings of an invalid row are dropped from the
   * data, with a note, when they would not fit; they stay in {@code invalid.jsonl}).
   */
  public PubsubMessage toMessage() {
    ObjectNode data =
        JSON.createObjectNode()
            .put("runId", runId)
            .put("row", row)
            .put("key", key)
            .put("status", status.label())
            .put("attempt", attempt)
            .put("model", model)
            .put("processedTime", processedTime.toString());
    data.set("response", response);
    data.set("error", error);
    data.set("usage", usage);
    ByteString bytes = ByteString.copyFromUtf8(data.toString());
    if (bytes.size() > PubSubLimits.MAX_RESULT_DATA_BYTES && error instanceof ObjectNode full) {
      ObjectNode trimmed = full.deepCopy();
      trimmed.remove("findings");
      trimmed.put("findingsOmitted", "too large for a message; see invalid.jsonl");
      data.set("error", trimmed);
      bytes = ByteString.copyFromUtf8(data.toString());
    }
    return attributes(
            runId, jobId, row, key, status, attempt, model, finishReason, sourceUri, dedupId())
        .setData(bytes)
        .build();
  }

  /** The attributes of a result message (design §5), each within Pub/Sub's value limit. */
  public static PubsubMessage.Builder attributes(
      String runId,
      String jobId,
      long row,
      String key,
      RowStatus status,
      int attempt,
      String model,
      String finishReason,
      String sourceUri,
      String dedupId) {
    PubsubMessage.Builder message =
        PubsubMessage.newBuilder()
            .putAttributes("run_id", runId)
            .putAttributes("row", Long.toString(row))
            .putAttributes("key", PubSubLimits.cut(key, PubSubLimits.MAX_ATTRIBUTE_VALUE_BYTES))
            .putAttributes("status", status.label())
            .putAttributes("attempt", Integer.toString(attempt))
            .putAttributes("model", model)
            .putAttributes("dedup_id", dedupId)
            .putAttributes(
                "source", PubSubLimits.cut(sourceUri, PubSubLimits.MAX_ATTRIBUTE_VALUE_BYTES));
    if (jobId != null) {
      message.putAttributes("job_id", jobId);
    }
    if (finishReason != null) {
      message.putAttributes(
          "finish_reason", PubSubLimits.cut(finishReason, PubSubLimits.MAX_ATTRIBUTE_VALUE_BYTES));
    }
    return message;
  }
}
