package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A string map patched the way Cloud Storage patches a bucket's labels and an object's metadata:
 * null clears the map, a key set to null is removed, any other key is set to the value's text.
 */
final class StringMapPatch {
  private StringMapPatch() {}

  /**
   * {@code base} with {@code patch} applied (a new map); {@code notAnObject} is the 400's message
   * when the patch is neither null nor an object.
   */
  static Map<String, String> apply(JsonNode patch, Map<String, String> base, String notAnObject) {
    if (patch == null || patch.isNull()) {
      return Map.of();
    }
    if (!patch.isObject()) {
      throw ApiException.invalid(notAnObject);
    }
    Map<String, String> merged = new LinkedHashMap<>(base);
    for (Map.Entry<String, JsonNode> entry : patch.properties()) {
      if (entry.getValue().isNull()) {
        merged.remove(entry.getKey());
      } else {
        merged.put(entry.getKey(), entry.getValue().asText());
      }
    }
    return merged;
  }
}
