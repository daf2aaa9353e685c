package io.batchdrop.emulator.storage;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Media downloads ({@code alt=media}), whole or by {@code Range}, with the x-goog-* headers. An
 * object stored with {@code Content-Encoding: gzip} is decompressed on the way out (Cloud Storage's
 * decompressive transcoding, which ignores Range) unless the client accepts gzip, in which case it
 * gets the stored bytes with {@code Content-Encoding: gzip}.
 */
final class DownloadApi {
  /** An HTTP date always has a two-digit day; RFC_1123_DATE_TIME writes "Tue, 1 Dec". */
  static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private final ObjectRepository objects;
  private final ResponseWriter responses;

  DownloadApi(ObjectRepository objects, ResponseWriter responses) {
    this.objects = objects;
    this.responses = responses;
  }

  void download(ApiRequest request, ObjectKey key) throws IOException {
    ObjectMeta stored = objects.metadata(key, request.longParam("generation"), Preconditions.NONE);
    boolean transcode =
        isGzip(stored.attributes().contentEncoding())
            && !acceptsGzip(request.header("Accept-Encoding"));
    ObjectRepository.OpenedObject opened =
        objects.open(
            key,
            request.longParam("generation"),
            Preconditions.from(request),
            transcode ? null : ByteRange.parse(request.header("Range")));
    ObjectMeta meta = opened.meta();
    Headers headers = request.exchange().getResponseHeaders();
    ObjectAttributes attributes = meta.attributes();
    headers.set("Content-Type", attributes.effectiveContentType());
    headers.set("ETag", meta.etag());
    headers.set("Last-Modified", HTTP_DATE.format(meta.updated()));
    headers.set("x-goog-generation", Long.toString(meta.generation()));
    headers.set("x-goog-metageneration", Long.toString(meta.metageneration()));
    headers.set("x-goog-storage-class", meta.attributes().effectiveStorageClass());
    headers.set("x-goog-stored-content-length", Long.toString(meta.size()));
    headers.set(
        "x-goog-stored-content-encoding",
        attributes.contentEncoding() == null ? "identity" : attributes.contentEncoding());
    // Like Cloud Storage, the hashes are those of the stored (possibly compressed) bytes.
    headers.set(
        "x-goog-hash",
        "crc32c=" + meta.crc32c() + (meta.md5Hash() == null ? "" : ",md5=" + meta.md5Hash()));
    setIfPresent(headers, "Content-Disposition", attributes.contentDisposition());
    setIfPresent(headers, "Content-Language", attributes.contentLanguage());
    setIfPresent(headers, "Cache-Control", attributes.cacheControl());
    if (transcode) {
      headers.set("Warning", "214 UncompressedByGoogle");
      responses.chunked(request.exchange(), 200, new GZIPInputStream(opened.stream()));
      return;
    }
    headers.set("Accept-Ranges", "bytes");
    if (attributes.contentEncoding() != null) {
      headers.set("Content-Encoding", attributes.contentEncoding());
    }
    ByteRange.Resolved range = opened.range();
    if (range == null) {
      responses.stream(request.exchange(), 200, meta.size(), opened.stream());
    } else {
      headers.set("Content-Range", range.contentRange());
      responses.stream(request.exchange(), 206, range.length(), opened.stream());
    }
  }

  private static boolean isGzip(String contentEncoding) {
    return contentEncoding != null && contentEncoding.trim().equalsIgnoreCase("gzip");
  }

  /** "gzip" among the accepted codings, and not refused with q=0. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String coding : acceptEncoding.split(",")) {
      String[] parts = coding.trim().split(";");
      if (parts[0].trim().equalsIgnoreCase("gzip")) {
        for (int i = 1; i < parts.length; i++) {
          String parameter = parts[i].replace(" ", "");
          if (parameter.matches("q=0(\\.0{0,3})?")) {
            return false;
          }
        }
        return true;
      }
    }
    return false;
  }

  private static void setIfPresent(Headers headers, String name, String value) {
    if (value != null) {
      headers.set(name, value);
    }
  }
}
