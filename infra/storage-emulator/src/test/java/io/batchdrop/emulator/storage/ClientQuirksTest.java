package io.batchdrop.emulator.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What gcloud (apitools), gsutil and the Node client send that the Java client does not, spoken as
 * raw HTTP so each quirk is pinned down on its own.
 */
class ClientQuirksTest {
  private static final String BUCKET = "quirks";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static EmulatedStorage emulated;
  private static Storage storage;
  private static HttpClient http;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
    storage = emulated.storage();
    base = emulated.emulator().baseUri().toString();
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  @AfterAll
  static void stop() {
    emulated.close();
  }

  @BeforeEach
  void reset() {
    emulated.emulator().reset();
    storage.create(BucketInfo.of(BUCKET));
  }

  @Test
  void aSingleQuotedBoundaryWithBareLineFeedsIsAccepted() throws Exception {
    String body =
        "--===123==\nContent-Type: application/json\nMIME-Version: 1.0\n\n"
            + "{\"name\": \"apitools.txt\", \"contentType\": \"text/plain\"}\n"
            + "--===123==\nContent-Type: text/plain\nMIME-Version: 1.0\n"
            + "Content-Transfer-Encoding: binary\n\nline one\r\nline two\n"
            + "--===123==--";
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(base + "/upload/storage/v1/b/" + BUCKET + "/o?uploadType=multipart"))
                .header("Content-Type", "multipart/related; boundary='===123=='")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("line one\r\nline two", text("apitools.txt"));
    assertEquals("text/plain", storage.get(BlobId.of(BUCKET, "apitools.txt")).getContentType());
  }

  @Test
  void aBoundaryLongerThanRfc2046AllowsIsRejected() {
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> MultipartReader.boundaryOf("multipart/related; boundary=" + "x".repeat(71)));
    assertEquals(400, e.status());
    assertTrue(e.getMessage().contains("1 to 70 characters"), e.getMessage());
  }

  @Test
  void aResumableUploadStartedUnderTheResumablePathFinishesWithOneOpenEndedBody() throws Exception {
    String session = startResumable("/resumable/upload/storage/v1/b/" + BUCKET + "/o", "r.bin");
    byte[] bytes = TestBytes.random(300_000, 3);
    HttpResponse<String> done = put(session, "bytes 0-*/*", bytes);
    assertEquals(200, done.statusCode(), done.body());
    assertArrayEquals(bytes, storage.readAllBytes(BlobId.of(BUCKET, "r.bin")));
  }

  @Test
  void anOpenEndedLastChunkWithATotalFinishesTheUpload() throws Exception {
    String session = startResumable("/upload/storage/v1/b/" + BUCKET + "/o", "two.txt");
    assertEquals(308, put(session, "bytes 0-3/*", "0123".getBytes()).statusCode());
    HttpResponse<String> done = put(session, "bytes 4-*/10", "456789".getBytes());
    assertEquals(200, done.statusCode(), done.body());
    assertEquals("0123456789", text("two.txt"));
  }

  @Test
  void anOpenEndedBodyShorterThanItsDeclaredTotalIsRefused() throws Exception {
    String session = startResumable("/upload/storage/v1/b/" + BUCKET + "/o", "short.txt");
    HttpResponse<String> response = put(session, "bytes 0-*/100", "only five".getBytes());
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("declared 100"), response.body());
    assertNull(storage.get(BlobId.of(BUCKET, "short.txt")));
  }

  @Test
  void anUploadRefusedBeforeItsBodyIsReadStillGetsItsJsonError() throws Exception {
    byte[] large = TestBytes.random(8 * 1024 * 1024, 4);
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(
                    URI.create(
                        base + "/upload/storage/v1/b/missing-bucket/o?uploadType=media&name=x"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(large)));
    assertEquals(404, response.statusCode());
    assertTrue(response.body().contains("bucket does not exist"), response.body());
  }

  @Test
  void linksFollowTheHostTheClientAddressed() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "linked.txt").build(), "x".getBytes());
    String response =
        raw("GET /storage/v1/b/" + BUCKET + "/o/linked.txt HTTP/1.1\r\nHost: gcs.local:4443\r\n");
    JsonNode json = MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
    assertEquals(
        "http://gcs.local:4443/storage/v1/b/" + BUCKET + "/o/linked.txt",
        json.get("selfLink").asText());
    assertTrue(json.get("mediaLink").asText().startsWith("http://gcs.local:4443/download/"));
  }

  @Test
  void aHostHeaderThatIsNotAHostIsNotEchoedIntoLinks() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "linked.txt").build(), "x".getBytes());
    String response =
        raw("GET /storage/v1/b/" + BUCKET + "/o/linked.txt HTTP/1.1\r\nHost: evil\"/x y\r\n");
    assertTrue(response.contains("\"selfLink\":\"" + base + "/"), response);
  }

  @Test
  void lastModifiedIsAnHttpDateWithATwoDigitDay() throws Exception {
    assertEquals(
        "Tue, 01 Dec 2026 08:05:09 GMT",
        DownloadApi.HTTP_DATE.format(Instant.parse("2026-12-01T08:05:09Z")));
    storage.create(BlobInfo.newBuilder(BUCKET, "dated.txt").build(), "x".getBytes());
    HttpResponse<String> response =
        get("/download/storage/v1/b/" + BUCKET + "/o/dated.txt?alt=media", null);
    assertTrue(
        response
            .headers()
            .firstValue("Last-Modified")
            .orElseThrow()
            .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
  }

  @Test
  void aGzipObjectIsDecompressedForAClientThatDoesNotAcceptGzip() throws Exception {
    byte[] text = "transcode me ".repeat(200).getBytes(StandardCharsets.UTF_8);
    storeGzipped("t.txt", text);
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/download/storage/v1/b/" + BUCKET + "/o/t.txt?alt=media"))
                .header("Range", "bytes=0-9")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), "transcoding ignores Range, as Cloud Storage does");
    assertArrayEquals(text, response.body());
    assertFalse(response.headers().firstValue("Content-Encoding").isPresent());
    assertEquals(
        "gzip", response.headers().firstValue("x-goog-stored-content-encoding").orElseThrow());
  }

  @Test
  void aGzipObjectIsServedAsStoredToAClientThatAcceptsGzip() throws Exception {
    byte[] text = "keep me compressed ".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] stored = storeGzipped("g.txt", text);
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/download/storage/v1/b/" + BUCKET + "/o/g.txt?alt=media"))
                .header("Accept-Encoding", "gzip, deflate")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(stored, response.body());
    assertEquals("gzip", response.headers().firstValue("Content-Encoding").orElseThrow());
    assertFalse(DownloadApi.acceptsGzip("gzip;q=0, identity"));
  }

  @Test
  void matchGlobFollowsCloudStorageGlobSyntax() throws Exception {
    for (String name :
        new String[] {"a.txt", "d/b.txt", "d/e/c.txt", "d/x.csv", "f1", "f2", "fz"}) {
      storage.create(BlobInfo.newBuilder(BUCKET, name).build(), new byte[0]);
    }
    assertEquals("[a.txt]", listNames("*.txt"));
    assertEquals("[a.txt, d/b.txt, d/e/c.txt]", listNames("**.txt"));
    assertEquals("[d/b.txt, d/e/c.txt]", listNames("d/**/*.txt"));
    assertEquals("[d/b.txt, d/x.csv]", listNames("d/{b.txt,x.csv}"));
    assertEquals("[f1, f2]", listNames("f[0-9]"));
    assertEquals("[fz]", listNames("f[!0-9]"));
    assertEquals("[f1, f2, fz]", listNames("f?"));
  }

  @Test
  void anUnbalancedGlobIsRejectedWithWhatIsMissing() throws Exception {
    HttpResponse<String> response = get("/storage/v1/b/" + BUCKET + "/o?matchGlob=%7Ba,b", null);
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("a '{' without its '}'"), response.body());
  }

  @Test
  void aBucketPatchChangesLabelsAndStorageClassAndBumpsTheMetageneration() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/storage/v1/b/" + BUCKET))
                .header("Content-Type", "application/json")
                .method(
                    "PATCH",
                    HttpRequest.BodyPublishers.ofString(
                        "{\"labels\":{\"team\":\"data\"},\"storageClass\":\"nearline\"}")));
    assertEquals(200, response.statusCode(), response.body());
    JsonNode bucket = MAPPER.readTree(response.body());
    assertEquals("data", bucket.path("labels").path("team").asText());
    assertEquals("NEARLINE", bucket.path("storageClass").asText());
    assertEquals("2", bucket.path("metageneration").asText());
    storage.create(BlobInfo.newBuilder(BUCKET, "new.txt").build(), new byte[0]);
    assertEquals("NEARLINE", storage.get(BlobId.of(BUCKET, "new.txt")).getStorageClass().name());
  }

  @Test
  void aBucketFieldThatIsNotEmulatedAnswers501NamingIt() throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + "/storage/v1/b/" + BUCKET))
                .header("Content-Type", "application/json")
                .method(
                    "PATCH",
                    HttpRequest.BodyPublishers.ofString("{\"versioning\":{\"enabled\":true}}")));
    assertEquals(501, response.statusCode());
    assertTrue(response.body().contains("'versioning'"), response.body());
  }

  @Test
  void theStorageLayoutSaysTheNamespaceIsFlat() throws Exception {
    HttpResponse<String> response = get("/storage/v1/b/" + BUCKET + "/storageLayout", null);
    assertEquals(200, response.statusCode());
    JsonNode layout = MAPPER.readTree(response.body());
    assertEquals(BUCKET, layout.path("bucket").asText());
    assertFalse(layout.path("hierarchicalNamespace").path("enabled").asBoolean(true));
  }

  @Test
  void anUnsupportedCallAnswers501NamingTheFeature() throws Exception {
    HttpResponse<String> iam = get("/storage/v1/b/" + BUCKET + "/iam", null);
    assertEquals(501, iam.statusCode());
    assertTrue(iam.body().contains("IAM policies are not emulated"), iam.body());
    HttpResponse<String> xml = get("/" + BUCKET + "/some-object", null);
    assertEquals(501, xml.statusCode());
    assertTrue(xml.body().contains("not the XML API"), xml.body());
  }

  @Test
  void contentRangeFormsAreParsedAndNonsenseIsRejected() {
    assertEquals(new ContentRange(0L, null, null, true), ContentRange.parse("bytes 0-*/*"));
    assertEquals(new ContentRange(5L, null, 9L, true), ContentRange.parse("bytes 5-*/9"));
    assertEquals(new ContentRange(0L, 9L, null, false), ContentRange.parse("bytes 0-9/*"));
    assertEquals(new ContentRange(null, null, 10L, false), ContentRange.parse("bytes */10"));
    ApiException e = assertThrows(ApiException.class, () -> ContentRange.parse("bytes 9-2/*"));
    assertEquals(400, e.status());
    assertThrows(ApiException.class, () -> ContentRange.parse("bytes 0-" + "9".repeat(30) + "/*"));
  }

  private static byte[] storeGzipped(String name, byte[] text) throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
      gzip.write(text);
    }
    storage.create(
        BlobInfo.newBuilder(BUCKET, name).setContentEncoding("gzip").build(),
        compressed.toByteArray());
    return compressed.toByteArray();
  }

  private static String listNames(String glob) throws Exception {
    HttpResponse<String> response =
        get(
            "/storage/v1/b/"
                + BUCKET
                + "/o?matchGlob="
                + java.net.URLEncoder.encode(glob, StandardCharsets.UTF_8),
            null);
    assertEquals(200, response.statusCode(), response.body());
    java.util.List<String> names = new java.util.ArrayList<>();
    MAPPER.readTree(response.body()).path("items").forEach(i -> names.add(i.get("name").asText()));
    return names.toString();
  }

  private static String startResumable(String path, String name) throws Exception {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path + "?uploadType=resumable&name=" + name))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertEquals(200, response.statusCode(), response.body());
    return response.headers().firstValue("Location").orElseThrow();
  }

  private static HttpResponse<String> put(String session, String contentRange, byte[] body)
      throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(session))
            .header("Content-Range", contentRange)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static HttpResponse<String> get(String path, String range) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
    if (range != null) {
      builder.header("Range", range);
    }
    return send(builder.GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String text(String name) {
    return new String(storage.readAllBytes(BlobId.of(BUCKET, name)), StandardCharsets.UTF_8);
  }

  /** One request over a plain socket, for headers HttpClient will not send (Host). */
  private static String raw(String requestHead) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", emulated.emulator().port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write((requestHead + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
