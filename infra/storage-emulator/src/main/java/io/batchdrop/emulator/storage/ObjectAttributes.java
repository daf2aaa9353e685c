package io.batchdrop.emulator.storage;

import java.util.Map;
import java.util.Objects;

/** The fields of an object a client may set: content headers and the custom metadata map. */
record ObjectAttributes(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    Map<String, String> metadata) {

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  ObjectAttributes {
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  static ObjectAttributes empty() {
    return new ObjectAttributes(null, null, null, null, null, Map.of());
  }

  ObjectAttributes withContentTypeIfAbsent(String fallback) {
    if (contentType != null || fallback == null || fallback.isBlank()) {
      return this;
    }
    return new ObjectAttributes(
        fallback, contentEncoding, contentDisposition, contentLanguage, cacheControl, metadata);
  }

  String effectiveContentType() {
    return contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
  }
}
