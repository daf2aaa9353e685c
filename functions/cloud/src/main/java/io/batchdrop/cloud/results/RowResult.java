package io.batchdrop.cloud.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Instant;

/**
 * One message on the results topic: the terminal outcome of one input row (DESIGN §5). {@code
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
    PubsubMessage.Builder message =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFromUtf8(data.toString()))
            .putAttributes("run_id", runId)
            .putAttributes("row", Long.toString(row))
            .putAttributes("key", key)
            .putAttributes("status", status.label())
            .putAttributes("attempt", Integer.toString(attempt))
            .putAttributes("model", model)
            .putAttributes("dedup_id", dedupId())
            .putAttributes("source", sourceUri);
    if (jobId != null) {
      message.putAttributes("job_id", jobId);
    }
    if (finishReason != null) {
      message.putAttributes("finish_reason", finishReason);
    }
    return message.build();
  }
}
