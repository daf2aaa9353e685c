package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code storage#object} resource: rendering an object for responses, sidecars and
 * notifications, and reading the writable fields clients send.
 */
final class ObjectJson {
  private static final String[] CONTENT_FIELDS = {
    "contentType", "contentEncoding", "contentDisposition", "contentLanguage", "cacheControl"
  };

  private final ObjectMapper mapper;
  private final String baseUri;

  ObjectJson(ObjectMapper mapper, URI baseUri) {
    this.mapper = mapper;
    this.baseUri = baseUri.toString();
  }

  /** The resource without links: what notifications and sidecars carry. */
  ObjectNode data(ObjectMeta meta) {
    ObjectNode node = mapper.createObjectNode();
    ObjectKey key = meta.key();
    node.put("kind", "storage#object");
    node.put("id", key.bucket() + "/" + key.name() + "/" + meta.generation());
    node.put("name", key.name());
    node.put("bucket", key.bucket());
    node.put("generation", Long.toString(meta.generation()));
    node.put("metageneration", Long.toString(meta.metageneration()));
    ObjectAttributes attributes = meta.attributes();
    node.put("contentType", attributes.effectiveContentType());
    putIfPresent(node, "contentEncoding", attributes.contentEncoding());
    putIfPresent(node, "contentDisposition", attributes.contentDisposition());
    putIfPresent(node, "contentLanguage", attributes.contentLanguage());
    putIfPresent(node, "cacheControl", attributes.cacheControl());
    node.put("storageClass", attributes.effectiveStorageClass());
    node.put("size", Long.toString(meta.size()));
    putIfPresent(node, "md5Hash", meta.md5Hash());
    node.put("crc32c", meta.crc32c());
    if (meta.componentCount() != null) {
      node.put("componentCount", meta.componentCount());
    }
    node.put("etag", meta.etag());
    node.put("timeCreated", Rfc3339.format(meta.timeCreated()));
    node.put("updated", Rfc3339.format(meta.updated()));
    node.put("timeStorageClassUpdated", Rfc3339.format(meta.timeCreated()));
    if (!attributes.metadata().isEmpty()) {
      ObjectNode metadata = node.putObject("metadata");
      attributes.metadata().forEach(metadata::put);
    }
    return node;
  }

  /** The resource as the API returns it, with links back to this emulator. */
  ObjectNode resource(ObjectMeta meta) {
    return resource(meta, baseUri);
  }

  /** The resource in an answer to {@code request}: links use the host the client asked. */
  ObjectNode resource(ObjectMeta meta, ApiRequest request) {
    return resource(meta, request.linkBase(baseUri));
  }

  private ObjectNode resource(ObjectMeta meta, String baseUri) {
    ObjectNode node = data(meta);
    String bucket = UrlCodec.encodePathSegment(meta.key().bucket());
    String name = UrlCodec.encodePathSegment(meta.key().name());
    node.put("selfLink", baseUri + "/storage/v1/b/" + bucket + "/o/" + name);
    node.put(
        "mediaLink",
        baseUri
            + "/download/storage/v1/b/"
            + bucket
            + "/o/"
            + name
            + "?generation="
            + meta.generation()
            + "&alt=media");
    return node;
  }

  /** Reads back what {@link #data} wrote (directory-mode sidecars). */
  ObjectMeta parseData(JsonNode node) {
    ObjectKey key = new ObjectKey(node.path("bucket").asText(), node.path("name").asText());
    return new ObjectMeta(
        key,
        Long.parseLong(node.path("generation").asText()),
        Long.parseLong(node.path("metageneration").asText()),
        Long.parseLong(node.path("size").asText()),
        textOrNull(node, "md5Hash"),
        textOrNull(node, "crc32c"),
        node.hasNonNull("componentCount") ? node.get("componentCount").asInt() : null,
        attributes(node),
        Rfc3339.parse(node.path("timeCreated").asText()),
        Rfc3339.parse(node.path("updated").asText()));
  }

  /** The writable fields of a resource a client sent (insert, rewrite destination, compose). */
  static ObjectAttributes attributes(JsonNode node) {
    if (node == null || !node.isObject()) {
      return ObjectAttributes.empty();
    }
    return new ObjectAttributes(
        textOrNull(node, "contentType"),
        textOrNull(node, "contentEncoding"),
        textOrNull(node, "contentDisposition"),
        textOrNull(node, "contentLanguage"),
        textOrNull(node, "cacheControl"),
        metadata(node.get("metadata"), Map.of()),
        storageClass(node));
  }

  /** True when the client sent any writable field, i.e. wants them instead of the source's. */
  static boolean hasAttributes(JsonNode node) {
    if (node == null || !node.isObject()) {
      return false;
    }
    for (String field : CONTENT_FIELDS) {
      if (node.has(field)) {
        return true;
      }
    }
    return node.has("metadata");
  }

  /**
   * Applies a PATCH body: present fields replace, explicit nulls clear, and metadata keys merge
   * with null values removing a key.
   */
  static ObjectAttributes patch(ObjectAttributes current, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      throw ApiException.invalid("the request body must be a JSON object");
    }
    return new ObjectAttributes(
        patched(patch, "contentType", current.contentType()),
        patched(patch, "contentEncoding", current.contentEncoding()),
        patched(patch, "contentDisposition", current.contentDisposition()),
        patched(patch, "contentLanguage", current.contentLanguage()),
        patched(patch, "cacheControl", current.cacheControl()),
        patch.has("metadata")
            ? metadata(patch.get("metadata"), current.metadata())
            : current.metadata(),
        // Only a rewrite changes the storage class; a patch keeps it.
        current.storageClass());
  }

  /** The storage class a client asked for, upper-cased as Cloud Storage answers it. */
  static String storageClass(JsonNode node) {
    String value = node == null || !node.isObject() ? null : textOrNull(node, "storageClass");
    return value == null || value.isBlank() ? null : value.trim().toUpperCase(Locale.ROOT);
  }

  private static String patched(JsonNode patch, String field, String current) {
    if (!patch.has(field)) {
      return current;
    }
    return textOrNull(patch, field);
  }

  private static Map<String, String> metadata(JsonNode node, Map<String, String> base) {
    return StringMapPatch.apply(node, base, "metadata must be an object");
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static void putIfPresent(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
