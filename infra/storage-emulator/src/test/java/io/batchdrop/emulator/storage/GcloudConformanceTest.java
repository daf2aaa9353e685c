package io.batchdrop.emulator.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gcloud storage} (the Cloud SDK on PATH, unchanged) against the emulator, configured the
 * way a user would: the storage endpoint override, credentials disabled and a throwaway config
 * directory. What gcloud printed is checked, and what it did is read back through the Java client.
 */
@Tag("system")
class GcloudConformanceTest {
  private static final String BUCKET = "gcloud-conformance";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static EmulatedStorage emulated;
  private static Storage storage;
  private static Map<String, String> env;

  @TempDir static Path config;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(
        ClientProcess.onPath("gcloud"),
        "gcloud is not on PATH: the gcloud conformance tests need the Google Cloud SDK"
            + " (Debian: apt-get install google-cloud-cli); CI machines have it");
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
    storage = emulated.storage();
    env =
        Map.of(
            "CLOUDSDK_CONFIG", config.toString(),
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE",
                emulated.emulator().baseUri() + "/storage/v1/",
            "CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "true",
            "CLOUDSDK_CORE_PROJECT", "conformance",
            "CLOUDSDK_CORE_DISABLE_PROMPTS", "1",
            "CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true",
            "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
  }

  @AfterAll
  static void stop() {
    if (emulated != null) {
      emulated.close();
    }
  }

  @BeforeEach
  void freshBucket() {
    emulated.emulator().reset();
    storage.create(BucketInfo.of(BUCKET));
  }

  @Test
  void bucketsAreCreatedListedDescribedUpdatedAndDeleted() throws Exception {
    gcloud("storage", "buckets", "create", "gs://made-by-gcloud");
    assertTrue(gcloud("storage", "ls").stdout().contains("gs://made-by-gcloud/"));
    gcloud(
        "storage",
        "buckets",
        "update",
        "gs://made-by-gcloud",
        "--update-labels=team=data",
        "--default-storage-class=NEARLINE");
    JsonNode described =
        json(gcloud("storage", "buckets", "describe", "gs://made-by-gcloud", "--format=json"));
    assertEquals("data", described.path("labels").path("team").asText());
    assertEquals("NEARLINE", described.path("default_storage_class").asText());
    gcloud("storage", "buckets", "delete", "gs://made-by-gcloud");
    assertNull(storage.get("made-by-gcloud"));
  }

  @Test
  void smallOddlyNamedAndLargeUploadsRoundTrip() throws Exception {
    Path small = Files.writeString(work.resolve("small.txt"), "grüße\n");
    byte[] large = TestBytes.random(20 * 1024 * 1024 + 3, 11); // above gcloud's resumable threshold
    Path big = Files.write(work.resolve("big.bin"), large);
    String odd = "in/ünï cödé &+=,;@.txt";
    gcloud("storage", "cp", small.toString(), "gs://" + BUCKET + "/" + odd);
    gcloud("storage", "cp", big.toString(), "gs://" + BUCKET + "/big.bin");
    assertEquals("grüße\n", new String(read(odd), StandardCharsets.UTF_8));
    assertArrayEquals(large, read("big.bin"));
    assertEquals("text/plain", storage.get(BlobId.of(BUCKET, odd)).getContentType());
  }

  @Test
  void downloadsAreWholeOrRangedAndHashChecked() throws Exception {
    byte[] large = TestBytes.random(9 * 1024 * 1024, 12);
    put("data.bin", large);
    put("digits.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
    Path target = work.resolve("copy.bin");
    gcloud("storage", "cp", "gs://" + BUCKET + "/data.bin", target.toString());
    assertArrayEquals(large, Files.readAllBytes(target));
    assertEquals(
        "2345", gcloud("storage", "cat", "-r", "2-5", "gs://" + BUCKET + "/digits.txt").stdout());
  }

  @Test
  void listingShowsPrefixesGlobsAndEveryPage() throws Exception {
    for (String name : List.of("a.txt", "b.csv", "dir/c.txt", "dir/sub/d.txt")) {
      put(name, name.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(
        List.of(
            "gs://" + BUCKET + "/a.txt", "gs://" + BUCKET + "/b.csv", "gs://" + BUCKET + "/dir/"),
        gcloud("storage", "ls", "gs://" + BUCKET).stdoutLines());
    assertEquals(
        List.of(
            "gs://" + BUCKET + "/a.txt",
            "gs://" + BUCKET + "/dir/c.txt",
            "gs://" + BUCKET + "/dir/sub/d.txt"),
        gcloud("storage", "ls", "gs://" + BUCKET + "/**.txt").stdoutLines());
    String longListing = gcloud("storage", "ls", "-l", "gs://" + BUCKET + "/dir/**").stdout();
    assertTrue(longListing.contains("TOTAL: 2 objects"), longListing);
  }

  @Test
  void metadataIsSetAndDescribed() throws Exception {
    put("m.txt", "m".getBytes(StandardCharsets.UTF_8));
    gcloud(
        "storage",
        "objects",
        "update",
        "gs://" + BUCKET + "/m.txt",
        "--custom-metadata=origin=gcloud",
        "--content-type=text/markdown");
    JsonNode described =
        json(
            gcloud("storage", "objects", "describe", "gs://" + BUCKET + "/m.txt", "--format=json"));
    assertEquals("gcloud", described.path("custom_fields").path("origin").asText());
    assertEquals("text/markdown", described.path("content_type").asText());
    assertEquals(
        TestBytes.md5("m".getBytes(StandardCharsets.UTF_8)), described.path("md5_hash").asText());
  }

  @Test
  void copyMoveRewriteAndComposeKeepTheBytes() throws Exception {
    put("one.txt", "one ".getBytes(StandardCharsets.UTF_8));
    put("two.txt", "two".getBytes(StandardCharsets.UTF_8));
    gcloud("storage", "cp", "gs://" + BUCKET + "/one.txt", "gs://" + BUCKET + "/copy.txt");
    gcloud("storage", "mv", "gs://" + BUCKET + "/copy.txt", "gs://" + BUCKET + "/moved.txt");
    assertNull(storage.get(BlobId.of(BUCKET, "copy.txt")));
    assertEquals("one ", new String(read("moved.txt"), StandardCharsets.UTF_8));
    gcloud(
        "storage",
        "objects",
        "update",
        "gs://" + BUCKET + "/moved.txt",
        "--storage-class=COLDLINE");
    assertEquals("COLDLINE", storage.get(BlobId.of(BUCKET, "moved.txt")).getStorageClass().name());
    gcloud(
        "storage",
        "objects",
        "compose",
        "gs://" + BUCKET + "/one.txt",
        "gs://" + BUCKET + "/two.txt",
        "gs://" + BUCKET + "/joined.txt");
    assertEquals("one two", new String(read("joined.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void aFailedPreconditionIsReportedAs412AndChangesNothing() throws Exception {
    put("kept.txt", "v1".getBytes(StandardCharsets.UTF_8));
    Path v2 = Files.writeString(work.resolve("v2.txt"), "v2");
    ClientProcess.Result result =
        gcloudMayFail(
            "storage",
            "cp",
            "--if-generation-match=1",
            v2.toString(),
            "gs://" + BUCKET + "/kept.txt");
    assertNotEquals(0, result.exitCode(), result.describe());
    assertTrue(result.stderr().contains("412"), result.describe());
    assertEquals("v1", new String(read("kept.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void aGzipEncodedUploadDownloadsAsTheOriginal() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append(i).append('\n');
    }
    Path file = Files.writeString(work.resolve("numbers.txt"), text);
    gcloud("storage", "cp", "-Z", file.toString(), "gs://" + BUCKET + "/numbers.txt");
    Blob stored = storage.get(BlobId.of(BUCKET, "numbers.txt"));
    assertEquals("gzip", stored.getContentEncoding());
    assertTrue(stored.getSize() < text.length(), "stored compressed: " + stored.getSize());
    Path back = work.resolve("back.txt");
    gcloud("storage", "cp", "gs://" + BUCKET + "/numbers.txt", back.toString());
    assertEquals(text.toString(), Files.readString(back));
  }

  @Test
  void objectsAreDeletedOneByOneRecursivelyAndWithTheirBucket() throws Exception {
    for (String name : List.of("keep.txt", "dir/a", "dir/b/c", "gone.txt")) {
      put(name, name.getBytes(StandardCharsets.UTF_8));
    }
    gcloud("storage", "rm", "gs://" + BUCKET + "/gone.txt");
    gcloud("storage", "rm", "-r", "gs://" + BUCKET + "/dir");
    assertEquals(List.of("keep.txt"), names());
    gcloud("storage", "rm", "-r", "gs://" + BUCKET);
    assertNull(storage.get(BUCKET));
  }

  private ClientProcess.Result gcloud(String... args) throws Exception {
    ClientProcess.Result result = gcloudMayFail(args);
    assertEquals(0, result.exitCode(), result.describe());
    return result;
  }

  private ClientProcess.Result gcloudMayFail(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("gcloud");
    command.addAll(List.of(args));
    return ClientProcess.run(command, env, work, DEADLINE);
  }

  private static JsonNode json(ClientProcess.Result result) throws Exception {
    return MAPPER.readTree(result.stdout());
  }

  private static void put(String name, byte[] bytes) {
    storage.create(BlobInfo.newBuilder(BUCKET, name).build(), bytes);
  }

  private static byte[] read(String name) {
    return storage.readAllBytes(BlobId.of(BUCKET, name));
  }

  private static List<String> names() {
    return StreamSupport.stream(storage.list(BUCKET).iterateAll().spliterator(), false)
        .map(Blob::getName)
        .toList();
  }
}
