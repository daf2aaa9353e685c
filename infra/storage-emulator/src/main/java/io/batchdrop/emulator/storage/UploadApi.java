package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * objects.insert under {@code /upload/storage/v1/b/B/o}: {@code uploadType=media}, {@code
 * multipart} and {@code resumable} (initiate with POST, then PUT chunks to the session URI).
 */
final class UploadApi {
  private final ObjectRepository objects;
  private final BucketStore buckets;
  private final BlobStore blobs;
  private final ObjectJson json;
  private final ObjectMapper mapper;
  private final ResponseWriter responses;
  private final String baseUri;
  private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();

  UploadApi(
      ObjectRepository objects,
      BucketStore buckets,
      BlobStore blobs,
      ObjectJson json,
      ObjectMapper mapper,
      ResponseWriter responses,
      URI baseUri) {
    this.objects = objects;
    this.buckets = buckets;
    this.blobs = blobs;
    this.json = json;
    this.mapper = mapper;
    this.responses = responses;
    this.baseUri = baseUri.toString();
  }

  void post(ApiRequest request, String bucket) throws IOException {
    buckets.get(bucket);
    String uploadType = request.param("uploadType");
    if ("media".equals(uploadType)) {
      media(request, bucket);
    } else if ("multipart".equals(uploadType)) {
      multipart(request, bucket);
    } else if ("resumable".equals(uploadType)) {
      initiate(request, bucket);
    } else {
      throw ApiException.invalid("Unsupported uploadType: " + uploadType);
    }
  }

  /** A PUT to a resumable session URI: a chunk, the last chunk, or a status query. */
  void put(ApiRequest request) throws IOException {
    String id = request.param("upload_id");
    UploadSession session = id == null ? null : sessions.get(id);
    if (session == null) {
      throw ApiException.notFound("No such upload session: " + id);
    }
    String header = request.header("Content-Range");
    // No Content-Range: the whole object in one request, like "bytes 0-*/*".
    ContentRange range =
        header == null ? new ContentRange(0L, null, null, true) : ContentRange.parse(header);
    ObjectMeta done = session.result();
    if (done == null) {
      if (range.hasBytes()) {
        session.append(range.first(), request.body());
      }
      long received = session.received();
      Long total =
          range.openEnded() && range.total() == null ? Long.valueOf(received) : range.total();
      if (total != null && total < received) {
        throw ApiException.invalid(
            "Invalid request: " + received + " bytes received, more than the declared " + total);
      }
      if (range.openEnded() && total > received) {
        throw ApiException.invalid(
            "Invalid request: the body ended after "
                + received
                + " bytes but Content-Range declared "
                + total);
      }
      if (total == null || total > received) {
        incomplete(request, received);
        return;
      }
      done = session.finish(objects, ExpectedHashes.fromHeader(request.header("x-goog-hash")));
    }
    responses.json(request.exchange(), 200, json.resource(done, request));
  }

  /** DELETE on a session URI cancels the upload; Cloud Storage answers 499. */
  void cancel(ApiRequest request) throws IOException {
    String id = request.param("upload_id");
    UploadSession session = id == null ? null : sessions.remove(id);
    if (session == null) {
      throw ApiException.notFound("No such upload session: " + id);
    }
    session.cancel();
    responses.empty(request.exchange(), 499);
  }

  /** Forgets every session, discarding the bytes of unfinished ones. */
  void clear() {
    sessions.values().forEach(UploadSession::cancel);
    sessions.clear();
  }

  private void media(ApiRequest request, String bucket) throws IOException {
    ObjectKey key = new ObjectKey(bucket, requireName(request.param("name")));
    ObjectAttributes attributes =
        ObjectAttributes.empty().withContentTypeIfAbsent(request.header("Content-Type"));
    try (BlobBuffer buffer = blobs.newBuffer()) {
      buffer.append(request.body());
      ObjectMeta meta =
          objects.commit(
              key,
              buffer,
              ObjectRepository.NewVersion.of(attributes, Preconditions.from(request))
                  .expecting(ExpectedHashes.fromHeader(request.header("x-goog-hash"))));
      responses.json(request.exchange(), 200, json.resource(meta, request));
    }
  }

  private void multipart(ApiRequest request, String bucket) throws IOException {
    MultipartReader reader =
        new MultipartReader(
            request.body(), MultipartReader.boundaryOf(request.header("Content-Type")));
    MultipartReader.Part metadataPart = reader.next();
    if (metadataPart == null) {
      throw ApiException.invalid("multipart upload without a metadata part");
    }
    JsonNode resource;
    try {
      resource = mapper.readTree(metadataPart.body());
    } catch (IOException e) {
      throw ApiException.invalid("the metadata part is not valid JSON");
    }
    MultipartReader.Part mediaPart = reader.next();
    if (mediaPart == null) {
      throw ApiException.invalid("multipart upload without a media part");
    }
    String name =
        request.param("name") != null ? request.param("name") : resource.path("name").asText(null);
    ObjectKey key = new ObjectKey(bucket, requireName(name));
    ObjectAttributes attributes =
        ObjectJson.attributes(resource)
            .withContentTypeIfAbsent(mediaPart.headers().get("content-type"));
    try (BlobBuffer buffer = blobs.newBuffer()) {
      buffer.append(mediaPart.body());
      ObjectMeta meta =
          objects.commit(
              key,
              buffer,
              ObjectRepository.NewVersion.of(attributes, Preconditions.from(request))
                  .expecting(declaredHashes(resource)));
      responses.json(request.exchange(), 200, json.resource(meta, request));
    }
  }

  private void initiate(ApiRequest request, String bucket) throws IOException {
    JsonNode resource = request.jsonBody(mapper);
    String name =
        request.param("name") != null ? request.param("name") : resource.path("name").asText(null);
    ObjectKey key = new ObjectKey(bucket, requireName(name));
    Preconditions preconditions = Preconditions.from(request);
    // Checked again when the upload finishes; failing early spares the client the upload.
    objects.checkWritable(key, preconditions);
    ObjectAttributes attributes =
        ObjectJson.attributes(resource)
            .withContentTypeIfAbsent(request.header("X-Upload-Content-Type"));
    ObjectLimits.checkMetadata(attributes.metadata());
    ObjectRepository.NewVersion version =
        ObjectRepository.NewVersion.of(attributes, preconditions)
            .expecting(declaredHashes(resource));
    String id = UUID.randomUUID().toString().replace("-", "");
    sessions.put(id, new UploadSession(key, version, blobs.newBuffer()));
    request
        .exchange()
        .getResponseHeaders()
        .set(
            "Location",
            request.linkBase(baseUri)
                + "/upload/storage/v1/b/"
                + UrlCodec.encodePathSegment(bucket)
                + "/o?uploadType=resumable&upload_id="
                + id);
    request.exchange().sendResponseHeaders(200, -1);
    request.exchange().close();
  }

  /** 308 "Resume Incomplete", with the bytes persisted so far (no Range header for none). */
  private void incomplete(ApiRequest request, long received) throws IOException {
    if (received > 0) {
      request.exchange().getResponseHeaders().set("Range", "bytes=0-" + (received - 1));
    }
    request
        .exchange()
        .getResponseHeaders()
        .set("x-goog-stored-content-length", Long.toString(received));
    responses.empty(request.exchange(), 308);
  }

  private static ExpectedHashes declaredHashes(JsonNode resource) {
    return new ExpectedHashes(
        resource.hasNonNull("crc32c") ? resource.get("crc32c").asText() : null,
        resource.hasNonNull("md5Hash") ? resource.get("md5Hash").asText() : null);
  }

  private static String requireName(String name) {
    return ObjectLimits.checkName(name);
  }
}
