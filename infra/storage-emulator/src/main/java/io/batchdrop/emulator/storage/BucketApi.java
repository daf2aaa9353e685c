package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** buckets.insert, get, list, patch, update and delete, and getStorageLayout. */
final class BucketApi {
  /** Fields a client may send back unchanged (a PUT of what it read); they cannot be changed. */
  private static final Set<String> READ_ONLY =
      Set.of(
          "kind",
          "id",
          "name",
          "selfLink",
          "projectNumber",
          "metageneration",
          "location",
          "locationType",
          "etag",
          "timeCreated",
          "updated");

  private static final int MAX_LABELS = 64;

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
    if (body.has("labels")) {
      bucket =
          buckets.update(
              name,
              b -> b.changed(b.storageClass(), labels(body.get("labels"), Map.of()), b.updated()));
    }
    responses.json(request.exchange(), 200, json.resource(bucket, request));
  }

  void get(ApiRequest request, String name) throws IOException {
    Bucket bucket = buckets.get(name);
    checkMetageneration(request, bucket);
    responses.json(request.exchange(), 200, json.resource(bucket, request));
  }

  void list(ApiRequest request) throws IOException {
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#buckets");
    ArrayNode items = body.putArray("items");
    String prefix = request.param("prefix");
    for (Bucket bucket : buckets.list()) {
      if (prefix == null || bucket.name().startsWith(prefix)) {
        items.add(json.resource(bucket, request));
      }
    }
    responses.json(request.exchange(), 200, body);
  }

  /**
   * PATCH merges labels (a null value removes one) and sets storageClass; PUT replaces both. Other
   * writable bucket fields (versioning, lifecycle, CORS, IAM, retention...) are not emulated and
   * answer 501 rather than being silently dropped.
   */
  void update(ApiRequest request, String name, boolean merge) throws IOException {
    JsonNode body = request.jsonBody(mapper);
    if (!body.isObject()) {
      throw ApiException.invalid("the request body must be a JSON object (a bucket resource)");
    }
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String key = field.getKey();
      if (!key.equals("labels") && !key.equals("storageClass") && !READ_ONLY.contains(key)) {
        throw ApiException.notImplemented(
            "Changing the bucket field '" + key + "' is not supported by the storage emulator");
      }
    }
    Bucket updated =
        buckets.update(
            name,
            current -> {
              checkMetageneration(request, current);
              String storageClass =
                  body.hasNonNull("storageClass")
                      ? body.get("storageClass").asText().toUpperCase(Locale.ROOT)
                      : merge ? current.storageClass() : "STANDARD";
              Map<String, String> labels =
                  body.has("labels")
                      ? labels(body.get("labels"), merge ? current.labels() : Map.of())
                      : merge ? current.labels() : Map.of();
              return current.changed(storageClass, labels, clock.now());
            });
    responses.json(request.exchange(), 200, json.resource(updated, request));
  }

  /** gcloud asks before moves and recursive deletes; this emulator has flat namespaces only. */
  void storageLayout(ApiRequest request, String name) throws IOException {
    Bucket bucket = buckets.get(name);
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#storageLayout");
    body.put("bucket", bucket.name());
    body.put("location", bucket.location());
    body.put("locationType", "region");
    body.putObject("hierarchicalNamespace").put("enabled", false);
    responses.json(request.exchange(), 200, body);
  }

  /**
   * Always empty: managed folders cannot be created here (that answers 501), and gcloud lists them
   * in every recursive delete.
   */
  void listManagedFolders(ApiRequest request, String name) throws IOException {
    buckets.get(name);
    responses.json(
        request.exchange(), 200, mapper.createObjectNode().put("kind", "storage#managedFolders"));
  }

  void delete(ApiRequest request, String name) throws IOException {
    checkMetageneration(request, buckets.get(name));
    buckets.delete(name);
    responses.empty(request.exchange(), 204);
  }

  private static void checkMetageneration(ApiRequest request, Bucket bucket) {
    Long match = request.longParam("ifMetagenerationMatch");
    Long notMatch = request.longParam("ifMetagenerationNotMatch");
    if (match != null && match != bucket.metageneration()) {
      throw ApiException.preconditionFailed(
          "ifMetagenerationMatch="
              + match
              + " but the bucket's metageneration is "
              + bucket.metageneration());
    }
    if (notMatch != null && notMatch == bucket.metageneration()) {
      throw ApiException.preconditionFailed(
          "ifMetagenerationNotMatch=" + notMatch + " and the bucket's metageneration is that");
    }
  }

  private static Map<String, String> labels(JsonNode node, Map<String, String> base) {
    Map<String, String> merged =
        StringMapPatch.apply(node, base, "labels must be an object of strings");
    if (merged.size() > MAX_LABELS) {
      throw ApiException.invalid("a bucket can have at most " + MAX_LABELS + " labels");
    }
    return merged;
  }
}
