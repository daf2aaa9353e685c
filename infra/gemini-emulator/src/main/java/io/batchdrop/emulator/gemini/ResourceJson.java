package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/** Files and batches (as long-running operations) in the API's REST JSON. */
final class ResourceJson {

  private final ObjectMapper mapper;
  private final URI baseUri;

  ResourceJson(ObjectMapper mapper, URI baseUri) {
    this.mapper = mapper;
    this.baseUri = baseUri;
  }

  /** A {@code File}: int64 {@code sizeBytes} as a string, {@code sha256Hash} base64. */
  ObjectNode file(StoredFile file, String state) {
    ObjectNode json = mapper.createObjectNode();
    json.put("name", file.name());
    if (!file.displayName().isEmpty()) {
      json.put("displayName", file.displayName());
    }
    json.put("mimeType", file.mimeType());
    json.put("sizeBytes", Long.toString(file.size()));
    json.put("createTime", file.createTime().toString());
    json.put("updateTime", file.createTime().toString());
    json.put("expirationTime", file.expirationTime().toString());
    json.put("sha256Hash", file.sha256Base64());
    json.put("uri", baseUri + "/v1beta/" + file.name());
    if (file.source().equals("GENERATED")) {
      json.put("downloadUri", baseUri + "/download/v1beta/" + file.name() + ":download?alt=media");
    }
    json.put("state", state);
    json.put("source", file.source());
    return json;
  }

  /**
   * A batch as the {@code Operation} the API answers: the batch in {@code metadata}, {@code done}
   * once terminal, the output in {@code response} on success, {@code error} on failure.
   */
  ObjectNode operation(StoredBatch batch) {
    ObjectNode operation = mapper.createObjectNode();
    operation.put("name", batch.name());
    ObjectNode metadata = operation.putObject("metadata");
    metadata.put("@type", batch.kind().metadataType());
    metadata.put("model", batch.model());
    metadata.put("displayName", batch.displayName());
    metadata.putObject("inputConfig").put("fileName", batch.inputFile());
    batch.responsesFile().ifPresent(f -> metadata.putObject("output").put("responsesFile", f));
    metadata.put("createTime", batch.createTime().toString());
    batch.endTime().ifPresent(t -> metadata.put("endTime", t.toString()));
    metadata.put("updateTime", batch.updateTime().toString());
    metadata.set("batchStats", stats(batch));
    metadata.put("state", batch.state().name());
    metadata.put("name", batch.name());
    if (batch.state().isTerminal()) {
      operation.put("done", true);
    }
    batch
        .responsesFile()
        .ifPresent(
            f ->
                operation
                    .putObject("response")
                    .put("@type", batch.kind().outputType())
                    .put("responsesFile", f));
    batch.error().ifPresent(m -> operation.putObject("error").put("code", 13).put("message", m));
    return operation;
  }

  /** The batch as a get answers it before its responses file is named: no output, no response. */
  ObjectNode operationWithoutResponsesFile(StoredBatch batch) {
    ObjectNode operation = operation(batch);
    ((ObjectNode) operation.path("metadata")).remove("output");
    operation.remove("response");
    return operation;
  }

  /** int64 counts as JSON strings; a zero is left out, as proto3 JSON does. */
  private ObjectNode stats(StoredBatch batch) {
    ObjectNode stats = mapper.createObjectNode();
    putCount(stats, "requestCount", batch.requestCount());
    putCount(stats, "successfulRequestCount", batch.succeeded());
    putCount(stats, "failedRequestCount", batch.failed());
    putCount(
        stats, "pendingRequestCount", batch.requestCount() - batch.succeeded() - batch.failed());
    return stats;
  }

  private static void putCount(ObjectNode stats, String field, long count) {
    if (count != 0) {
      stats.put(field, Long.toString(count));
    }
  }
}
