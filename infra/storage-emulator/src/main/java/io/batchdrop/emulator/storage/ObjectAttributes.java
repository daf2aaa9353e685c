package io.batchdrop.emulator.storage;

import java.util.Map;
import java.util.Objects;

/**
 * The fields of an object a client may set: content headers, the custom metadata map and the
 * storage class (null until committed: then the bucket's default unless the client chose one).
 */
record ObjectAttributes(
    String contentType,
    String contentEncoding,
    String contentDisposition,
    String contentLanguage,
    String cacheControl,
    Map<String, String> metadata,
    String storageClass) {

  static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  static final String DEFAULT_STORAGE_CLASS = "STANDARD";

  ObjectAttributes {
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  static ObjectAttributes empty() {
    return new ObjectAttributes(null, null, null, null, null, Map.of(), null);
  }

  ObjectAttributes withContentTypeIfAbsent(String fallback) {
    if (contentType != null || fallback == null || fallback.isBlank()) {
      return this;
    }
    return new ObjectAttributes(
        fallback,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        metadata,
        storageClass);
  }

  ObjectAttributes withStorageClass(String newStorageClass) {
    return new ObjectAttributes(
        contentType,
        contentEncoding,
        contentDisposition,
        contentLanguage,
        cacheControl,
        metadata,
        newStorageClass);
  }

  String effectiveContentType() {
    return contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
  }

  String effectiveStorageClass() {
    return storageClass == null ? DEFAULT_STORAGE_CLASS : storageClass;
  }
}
