package io.batchdrop.submit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.results.RowResult;
import io.batchdrop.cloud.results.RowStatus;
import java.io.IOException;
import java.nio.channels.Channels;
import java.time.Clock;

/**
 * Publishes one {@code invalid} result per row set aside in {@code invalid.jsonl}, streaming the
 * file back from the work bucket. The rejected line itself stays in the file, out of messages.
 */
final class InvalidRowPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;
  private final Clock clock;

  InvalidRowPublisher(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  long publish(
      BlobId invalidFile, String runId, String model, String sourceUri, ResultPublisher results)
      throws IOException, InterruptedException {
    // One parser over the whole file: each record's rejected line (up to the line limit) is
    // skipped, never turned into a String.
    try (JsonParser records =
        JSON.getFactory().createParser(Channels.newInputStream(storage.reader(invalidFile)))) {
      while (records.nextToken() == JsonToken.START_OBJECT) {
        long row = 0;
        String key = null;
        JsonNode findings = JSON.createArrayNode();
        while (records.nextToken() == JsonToken.FIELD_NAME) {
          String field = records.currentName();
          records.nextToken();
          switch (field) {
            case "row" -> row = records.getLongValue();
            case "key" -> key = records.getText();
            case "findings" -> findings = JSON.readTree(records);
            default -> records.skipChildren();
          }
        }
        ObjectNode error =
            JSON.createObjectNode().put("code", "invalid").put("message", firstError(findings));
        error.set("findings", findings);
        results.publish(
            new RowResult(
                runId,
                row,
                key == null ? "row-" + row : key,
                RowStatus.INVALID,
                0,
                model,
                null,
                null,
                sourceUri,
                clock.instant(),
                null,
                error,
                null));
      }
    }
    return results.flush();
  }

  private static String firstError(JsonNode findings) {
    for (JsonNode finding : findings) {
      if ("error".equals(finding.path("severity").asText())) {
        JsonNode line = finding.path("line");
        JsonNode column = finding.path("column");
        return "line "
            + line.asLong()
            + (column.asInt() > 0 ? ", column " + column.asInt() : "")
            + ": "
            + finding.path("message").asText();
      }
    }
    return "invalid request";
  }
}
