package io.batchdrop.submit;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code google.cloud.storage.object.v1.finalized} CloudEvent into an {@link
 * UploadedObject}: the few fields of its {@code StorageObjectData} JSON that submit uses, read the
 * way protobuf's {@code JsonFormat} reads them (int64 fields as JSON strings or numbers, either the
 * JSON or the proto name of a field, {@code null} as absent, unknown fields ignored).
 *
 * <p>Jackson, not {@code JsonFormat} into the generated {@code StorageObjectData}: building that
 * message's descriptors and the JSON parser behind it cost a cold instance's first event about 0.3
 * s of CPU and 530 classes (bench/coldstart.md), for seven fields; Jackson is loaded anyway.
 */
final class FinalizeEvent {
  static final String TYPE = "google.cloud.storage.object.v1.finalized";

  /**
   * Far above any object's resource (a name of at most 1,024 bytes, appearing in three fields;
   * custom metadata of at most 8 KiB, as JSON escapes at most 6 bytes a byte) and far below Cloud
   * Run's 32 MiB request limit: a body this large is not a finalize event.
   */
  static final int MAX_DATA_BYTES = 128 * 1024;

  /** Strict where JsonFormat was: a key given twice, or anything after the object, is refused. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private FinalizeEvent() {}

  static UploadedObject parse(CloudEvent event) throws MalformedEventException {
    if (!TYPE.equals(event.getType())) {
      throw new MalformedEventException(
          "event type is \"" + event.getType() + "\"; expected \"" + TYPE + "\"");
    }
    if (event.getData() == null) {
      throw new MalformedEventException("event " + event.getId() + " has no data");
    }
    byte[] body = event.getData().toBytes();
    if (body.length > MAX_DATA_BYTES) {
      throw new MalformedEventException(
          "event "
              + event.getId()
              + " data is "
              + body.length
              + " bytes; expected a StorageObjectData JSON object of at most "
              + MAX_DATA_BYTES);
    }
    UploadedObject data;
    try {
      data = Fields.read(body);
    } catch (IOException | IllegalArgumentException e) {
      throw new MalformedEventException(
          "event "
              + event.getId()
              + " data is not a StorageObjectData JSON object: "
              + e.getMessage(),
          e);
    }
    if (data.bucket().isEmpty() || data.name().isEmpty()) {
      throw new MalformedEventException(
          "event " + event.getId() + " data lacks \"bucket\" or \"name\"");
    }
    if (data.generation() <= 0) {
      throw new MalformedEventException(
          "event " + event.getId() + " data lacks a positive \"generation\"");
    }
    return data;
  }

  /** The fields submit reads, with StorageObjectData's defaults for absent ones. */
  private static final class Fields {

    private Fields() {}

    static UploadedObject read(byte[] body) throws IOException {
      JsonNode root = JSON.readTree(body);
      if (root == null || root.isMissingNode() || !root.isObject()) {
        boolean empty = root == null || root.isMissingNode();
        throw new IllegalArgumentException(
            "it is " + (empty ? "empty" : kind(root)) + "; expected an object");
      }
      return new UploadedObject(
          string(root, "bucket", "bucket"),
          string(root, "name", "name"),
          int64(root, "generation"),
          int64(root, "size"),
          string(root, "md5Hash", "md5_hash"),
          string(root, "contentType", "content_type"),
          string(root, "contentEncoding", "content_encoding"),
          metadata(root.get("metadata")));
    }

    /** A field by its JSON name or its proto name (JsonFormat accepts both); absent or null: "". */
    private static JsonNode field(JsonNode root, String jsonName, String protoName) {
      JsonNode value = root.get(jsonName);
      if ((value == null || value.isNull()) && !protoName.equals(jsonName)) {
        value = root.get(protoName);
      }
      return value == null || value.isNull() ? null : value;
    }

    private static String string(JsonNode root, String jsonName, String protoName) {
      JsonNode value = field(root, jsonName, protoName);
      if (value == null) {
        return "";
      }
      if (!value.isTextual()) {
        throw new IllegalArgumentException(
            "\"" + jsonName + "\" is " + kind(value) + "; expected a string");
      }
      return value.textValue();
    }

    /** An int64 as JsonFormat prints it (a decimal string) or as a plain integral number. */
    private static long int64(JsonNode root, String name) {
      JsonNode value = field(root, name, name);
      if (value == null) {
        return 0;
      }
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        return value.longValue();
      }
      if (value.isTextual()) {
        try {
          return Long.parseLong(value.textValue());
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw new IllegalArgumentException(
          "\"" + name + "\" is " + kind(value) + "; expected an int64 as a decimal string");
    }

    private static Map<String, String> metadata(JsonNode value) {
      if (value == null || value.isNull()) {
        return Map.of();
      }
      if (!value.isObject()) {
        throw new IllegalArgumentException(
            "\"metadata\" is " + kind(value) + "; expected an object of strings");
      }
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        if (!entry.getValue().isTextual()) {
          throw new IllegalArgumentException(
              "\"metadata\" value of \""
                  + entry.getKey()
                  + "\" is "
                  + kind(entry.getValue())
                  + "; expected a string");
        }
        metadata.put(entry.getKey(), entry.getValue().textValue());
      }
      return Map.copyOf(metadata);
    }

    private static String kind(JsonNode value) {
      return switch (value.getNodeType()) {
        case STRING -> "the string \"" + abbreviated(value.textValue()) + "\"";
        case NUMBER -> "the number " + value.asText();
        case BOOLEAN -> value.asText();
        case NULL -> "null";
        case ARRAY -> "an array";
        case OBJECT -> "an object";
        default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
      };
    }

    private static String abbreviated(String text) {
      return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
  }
}
