package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/** objects.get (metadata), list, delete, patch, update, rewrite, copy and compose. */
final class ObjectApi {
  private static final int MAX_COMPOSE_SOURCES = 32;

  private final ObjectRepository objects;
  private final BucketStore buckets;
  private final BlobStore blobs;
  private final ObjectJson json;
  private final ObjectMapper mapper;
  private final ResponseWriter responses;

  ObjectApi(
      ObjectRepository objects,
      BucketStore buckets,
      BlobStore blobs,
      ObjectJson json,
      ObjectMapper mapper,
      ResponseWriter responses) {
    this.objects = objects;
    this.buckets = buckets;
    this.blobs = blobs;
    this.json = json;
    this.mapper = mapper;
    this.responses = responses;
  }

  void get(ApiRequest request, ObjectKey key) throws IOException {
    ObjectMeta meta =
        objects.metadata(key, request.longParam("generation"), Preconditions.from(request));
    responses.json(request.exchange(), 200, json.resource(meta, request));
  }

  void list(ApiRequest request, String bucket) throws IOException {
    Long maxResults = request.longParam("maxResults");
    ObjectListing.Page page =
        ObjectListing.page(
            buckets.objects(bucket),
            request.param("prefix"),
            request.param("delimiter"),
            request.param("pageToken"),
            maxResults == null ? null : (int) Math.min(maxResults, Integer.MAX_VALUE),
            request.param("startOffset"),
            request.param("endOffset"),
            request.param("matchGlob") == null
                ? null
                : GlobPattern.compile(request.param("matchGlob")),
            "true".equals(request.param("includeTrailingDelimiter")));
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#objects");
    if (page.nextPageToken() != null) {
      body.put("nextPageToken", page.nextPageToken());
    }
    if (!page.prefixes().isEmpty()) {
      ArrayNode prefixes = body.putArray("prefixes");
      page.prefixes().forEach(prefixes::add);
    }
    ArrayNode items = body.putArray("items");
    page.items().forEach(meta -> items.add(json.resource(meta, request)));
    responses.json(request.exchange(), 200, body);
  }

  void delete(ApiRequest request, ObjectKey key) throws IOException {
    objects.delete(key, request.longParam("generation"), Preconditions.from(request));
    responses.empty(request.exchange(), 204);
  }

  /** PATCH merges the given fields; PUT replaces all writable fields. */
  void update(ApiRequest request, ObjectKey key, boolean merge) throws IOException {
    JsonNode body = request.jsonBody(mapper);
    ObjectMeta meta =
        objects.patch(
            key,
            request.longParam("generation"),
            Preconditions.from(request),
            current -> merge ? ObjectJson.patch(current, body) : ObjectJson.attributes(body));
    responses.json(request.exchange(), 200, json.resource(meta, request));
  }

  /** rewriteTo: always finishes in one call, so {@code done} is true and no token is needed. */
  void rewrite(ApiRequest request, ObjectKey source, ObjectKey destination) throws IOException {
    ObjectMeta meta = copyObject(request, source, destination);
    ObjectNode body = mapper.createObjectNode();
    body.put("kind", "storage#rewriteResponse");
    body.put("totalBytesRewritten", Long.toString(meta.size()));
    body.put("objectSize", Long.toString(meta.size()));
    body.put("done", true);
    body.set("resource", json.resource(meta, request));
    responses.json(request.exchange(), 200, body);
  }

  void copy(ApiRequest request, ObjectKey source, ObjectKey destination) throws IOException {
    responses.json(
        request.exchange(), 200, json.resource(copyObject(request, source, destination), request));
  }

  void compose(ApiRequest request, ObjectKey destination) throws IOException {
    JsonNode body = request.jsonBody(mapper);
    JsonNode sources = body.path("sourceObjects");
    if (!sources.isArray() || sources.isEmpty()) {
      throw ApiException.invalid("sourceObjects must name at least one object");
    }
    if (sources.size() > MAX_COMPOSE_SOURCES) {
      throw ApiException.invalid(
          "at most " + MAX_COMPOSE_SOURCES + " source objects may be composed");
    }
    buckets.get(destination.bucket());
    int components = 0;
    try (BlobBuffer buffer = blobs.newBuffer()) {
      for (JsonNode source : sources) {
        ObjectKey key = new ObjectKey(destination.bucket(), source.path("name").asText());
        Long generation =
            source.hasNonNull("generation") ? source.get("generation").asLong() : null;
        JsonNode condition = source.path("objectPreconditions").path("ifGenerationMatch");
        Preconditions preconditions =
            condition.isMissingNode() || condition.isNull()
                ? Preconditions.NONE
                : new Preconditions(condition.asLong(), null, null, null);
        ObjectRepository.OpenedObject opened = objects.open(key, generation, preconditions, null);
        try (InputStream in = opened.stream()) {
          buffer.append(in);
        }
        components += opened.meta().componentCount() == null ? 1 : opened.meta().componentCount();
      }
      ObjectAttributes attributes = ObjectJson.attributes(body.get("destination"));
      ObjectMeta meta =
          objects.commit(
              destination,
              buffer,
              new ObjectRepository.NewVersion(
                  attributes, Preconditions.from(request), ExpectedHashes.NONE, components));
      responses.json(request.exchange(), 200, json.resource(meta, request));
    }
  }

  /**
   * Copies the source's live bytes to a new destination version. The destination keeps the source's
   * fields unless the request body sets any, in which case the body's fields are used.
   */
  private ObjectMeta copyObject(ApiRequest request, ObjectKey source, ObjectKey destination)
      throws IOException {
    JsonNode body = request.jsonBody(mapper);
    buckets.get(destination.bucket());
    try (BlobBuffer buffer = blobs.newBuffer()) {
      ObjectRepository.OpenedObject opened =
          objects.open(
              source,
              request.longParam("sourceGeneration"),
              Preconditions.from(request, "ifSource"),
              null);
      try (InputStream in = opened.stream()) {
        buffer.append(in);
      }
      // The destination gets the storage class asked for, else the bucket's default.
      ObjectAttributes attributes =
          (ObjectJson.hasAttributes(body)
                  ? ObjectJson.attributes(body)
                  : opened.meta().attributes())
              .withStorageClass(ObjectJson.storageClass(body));
      return objects.commit(
          destination,
          buffer,
          ObjectRepository.NewVersion.of(attributes, Preconditions.from(request)));
    }
  }
}
