package io.batchdrop.emulator.storage;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Media downloads ({@code alt=media}), whole or by {@code Range}, with the x-goog-* headers. */
final class DownloadApi {
  private final ObjectRepository objects;
  private final ResponseWriter responses;

  DownloadApi(ObjectRepository objects, ResponseWriter responses) {
    this.objects = objects;
    this.responses = responses;
  }

  void download(ApiRequest request, ObjectKey key) throws IOException {
    ObjectRepository.OpenedObject opened =
        objects.open(
            key,
            request.longParam("generation"),
            Preconditions.from(request),
            ByteRange.parse(request.header("Range")));
    ObjectMeta meta = opened.meta();
    Headers headers = request.exchange().getResponseHeaders();
    ObjectAttributes attributes = meta.attributes();
    headers.set("Content-Type", attributes.effectiveContentType());
    headers.set("Accept-Ranges", "bytes");
    headers.set("ETag", meta.etag());
    headers.set(
        "Last-Modified",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(meta.updated().atZone(ZoneOffset.UTC)));
    headers.set("x-goog-generation", Long.toString(meta.generation()));
    headers.set("x-goog-metageneration", Long.toString(meta.metageneration()));
    headers.set("x-goog-storage-class", "STANDARD");
    headers.set("x-goog-stored-content-length", Long.toString(meta.size()));
    headers.set(
        "x-goog-stored-content-encoding",
        attributes.contentEncoding() == null ? "identity" : attributes.contentEncoding());
    headers.set(
        "x-goog-hash",
        "crc32c=" + meta.crc32c() + (meta.md5Hash() == null ? "" : ",md5=" + meta.md5Hash()));
    setIfPresent(headers, "Content-Disposition", attributes.contentDisposition());
    setIfPresent(headers, "Content-Language", attributes.contentLanguage());
    setIfPresent(headers, "Cache-Control", attributes.cacheControl());
    ByteRange.Resolved range = opened.range();
    if (range == null) {
      responses.stream(request.exchange(), 200, meta.size(), opened.stream());
    } else {
      headers.set("Content-Range", range.contentRange());
      responses.stream(request.exchange(), 206, range.length(), opened.stream());
    }
  }

  private static void setIfPresent(Headers headers, String name, String value) {
    if (value != null) {
      headers.set(name, value);
    }
  }
}
