package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/** buckets.insert, get, list and delete. */
final class BucketApi {
  private final BucketStore buckets;
  private final BucketJson json;
  private final ObjectMapper mapper;
  private final ResponseWriter responses;
  private final GenerationClock clock;

  BucketApi(
      BucketStore buckets,
      BucketJson json,
      ObjectMapper mapper,
      ResponseWriter responses,
      GenerationClock clock) {
    this.buckets = buckets;
    this.json = json;
    this.mapper = mapper;
    this.responses = responses;
    this.clock = clock;
  }

  void insert(ApiRequest request) throws IOException {
    JsonNode body = request.jsonBody(mapper);
    String name = body.path("name").asText(null);
    Bucket bucket =
        buckets.create(
            name,
            body.path("location").asText("US").toUpperCase(Locale.ROOT),
            body.path("storageClass").asText("STANDARD"),
            clock.now());
    responses.json(request.exchange(), 200, json.resource(bucket));
  }

  void get(ApiRequest request, String name) throws IOException {
    responses.json(request.exchange(), 200, json.resource(buckets.get(name)));
  }

  void list(ApiRequest request) throws IOException {
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#buckets");
    ArrayNode items = body.putArray("items");
    String prefix = request.param("prefix");
    for (Bucket bucket : buckets.list()) {
      if (prefix == null || bucket.name().startsWith(prefix)) {
        items.add(json.resource(bucket));
      }
    }
    responses.json(request.exchange(), 200, body);
  }

  void delete(ApiRequest request, String name) throws IOException {
    buckets.delete(name);
    responses.empty(request.exchange(), 204);
  }
}
