package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code models/{model}:batchGenerateContent} and {@code :asyncBatchEmbedContent} (input from an
 * uploaded file), and batches get / list / cancel / delete.
 */
final class BatchesApi {

  private static final long MAX_JSON_BODY = 20L * 1024 * 1024;

  private final BatchStore store;
  private final GeminiKnobs knobs;
  private final ResourceJson json;
  private final ObjectMapper mapper;

  BatchesApi(BatchStore store, GeminiKnobs knobs, ResourceJson json, ObjectMapper mapper) {
    this.store = store;
    this.knobs = knobs;
    this.json = json;
    this.mapper = mapper;
  }

  void create(Exchange exchange, BatchKind kind, String modelId) throws IOException {
    JsonNode body = readJson(exchange.body(MAX_JSON_BODY));
    requireModel(kind, modelId);
    int failure = knobs.takeCreateFailure();
    if (failure != 0) {
      throw ApiError.planned(failure);
    }
    JsonNode batch = body.path("batch");
    JsonNode input = batch.path("inputConfig");
    if (input.has("requests")) {
      throw new ApiError(
          501,
          "UNIMPLEMENTED",
          "The emulator takes batch input only from a file (inputConfig.fileName), not inline.",
          Optional.empty());
    }
    // Proto JSON takes either spelling; the SDK sends file_name for embeddings batches.
    String fileName = input.path("fileName").asText(input.path("file_name").asText(""));
    if (fileName.isEmpty()) {
      throw ApiError.invalid("batch.inputConfig.fileName is required.");
    }
    StoredBatch created =
        store.create(
            kind,
            "models/" + modelId,
            batch.path("displayName").asText(batch.path("display_name").asText("")),
            fileName,
            knobs.planBatch());
    if (knobs.takeWithheldCreateAnswer()) {
      throw new Router.WithheldAnswer();
    }
    Router.json(exchange.http(), 200, json.operation(created), mapper);
  }

  void get(Exchange exchange, String id) throws IOException {
    int failure = knobs.takeGetFailure();
    if (failure != 0) {
      throw ApiError.planned(failure);
    }
    StoredBatch batch = find(id);
    ObjectNode operation =
        batch.responsesFile().isPresent() && knobs.takeWithheldResponsesFile()
            ? json.operationWithoutResponsesFile(batch)
            : json.operation(batch);
    Duration stall = knobs.takeGetStall();
    if (!stall.isZero()) {
      Router.stalledJson(exchange.http(), 200, operation, mapper, stall);
      return;
    }
    Router.json(exchange.http(), 200, operation, mapper);
  }

  void list(Exchange exchange) throws IOException {
    Page<StoredBatch> page = Page.of(store.list(), exchange);
    ObjectNode body = mapper.createObjectNode();
    ArrayNode operations = body.putArray("operations");
    page.items().forEach(batch -> operations.add(json.operation(batch)));
    page.nextToken().ifPresent(token -> body.put("nextPageToken", token));
    Router.json(exchange.http(), 200, body, mapper);
  }

  void cancel(Exchange exchange, String id) throws IOException {
    store.cancel(id);
    Router.json(exchange.http(), 200, mapper.createObjectNode(), mapper);
  }

  void delete(Exchange exchange, String id) throws IOException {
    store.delete(id);
    Router.json(exchange.http(), 200, mapper.createObjectNode(), mapper);
  }

  private StoredBatch find(String id) {
    return store.get(id).orElseThrow(ApiError::notFound);
  }

  /**
   * Generation batches need a Gemini model and embedding batches an embedding model; anything else
   * gets the real API's 404.
   */
  private static void requireModel(BatchKind kind, String modelId) {
    boolean embedding = modelId.contains("embedding");
    boolean known = modelId.startsWith("gemini-") || modelId.startsWith("text-embedding-");
    if (!known || embedding != (kind == BatchKind.EMBED)) {
      String method = kind == BatchKind.EMBED ? "asyncBatchEmbedContent" : "batchGenerateContent";
      throw new ApiError(
          404,
          "NOT_FOUND",
          "models/"
              + modelId
              + " is not found for API version v1beta, or is not supported for "
              + method
              + ". Call ListModels to see the list of available models and their supported"
              + " methods.",
          Optional.empty());
    }
  }

  private JsonNode readJson(byte[] body) {
    try {
      JsonNode node = mapper.readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiError.invalid("The request body must be a JSON object.");
      }
      return node;
    } catch (IOException e) {
      throw ApiError.invalid("The request body is not valid JSON.");
    }
  }
}
