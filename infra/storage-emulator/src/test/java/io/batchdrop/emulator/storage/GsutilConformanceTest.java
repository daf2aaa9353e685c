package io.batchdrop.emulator.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native {@code gsutil} (the one the Cloud SDK ships, unchanged, not its gcloud shim) against the
 * emulator's HTTPS listener, configured only as {@code ./batchdrop up} tells users to: a boto file
 * ({@link GsutilBotoConfig}), the emulator's certificate also as gcloud's CA (gcloud's wrapper
 * passes {@code core/custom_ca_certs_file} to gsutil over the boto file), credentials disabled.
 * What gsutil printed is checked, and what it did is read back through the Java client.
 */
@Tag("system")
class GsutilConformanceTest {
  private static final String BUCKET = "gsutil-conformance";
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private static EmulatedStorage emulated;
  private static Storage storage;
  private static Map<String, String> env;

  @TempDir static Path config;
  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    assertTrue(
        ClientProcess.onPath("gsutil"),
        "gsutil is not on PATH: the gsutil conformance tests need the Google Cloud SDK"
            + " (Debian: apt-get install google-cloud-cli); CI machines have it");
    Path certificate = config.resolve("storage-ca.pem");
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory().withHttps(0, certificate));
    storage = emulated.storage();
    Path boto =
        Files.writeString(
            config.resolve("boto.cfg"),
            GsutilBotoConfig.of(emulated.emulator(), "conformance").text());
    env =
        Map.of(
            "BOTO_CONFIG", boto.toString(),
            "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", certificate.toString(),
            "CLOUDSDK_CONFIG", config.resolve("gcloud").toString(),
            "CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "True",
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
  void gsutilTalksToTheEmulatorItselfNotThroughItsGcloudShim() throws Exception {
    String version = gsutil("version", "-l").stdout();
    assertTrue(version.contains("shim enabled: False"), version);
    assertTrue(version.contains("config path(s): " + env.get("BOTO_CONFIG")), version);
  }

  @Test
  void aBucketIsMadeListedAndRemoved() throws Exception {
    gsutil("mb", "gs://made-by-gsutil");
    assertNotNull(storage.get("made-by-gsutil"));
    assertEquals(
        List.of("gs://" + BUCKET + "/", "gs://made-by-gsutil/"), gsutil("ls").stdoutLines());
    gsutil("rb", "gs://made-by-gsutil");
    assertNull(storage.get("made-by-gsutil"));
  }

  @Test
  void smallOddlyNamedAndLargeResumableUploadsRoundTrip() throws Exception {
    Path folder = Files.createDirectories(work.resolve("up"));
    String odd = "ünï cödé &+=,;@.txt";
    Files.writeString(folder.resolve(odd), "grüße\n");
    byte[] large = TestBytes.random(9 * 1024 * 1024 + 5, 21); // above gsutil's 8 MiB threshold
    Files.write(folder.resolve("big.bin"), large);
    ClientProcess.Result copied = gsutil("cp", "-r", folder.toString(), "gs://" + BUCKET + "/");
    assertTrue(copied.stderr().contains("Operation completed over 2 objects"), copied.describe());
    assertEquals("grüße\n", new String(read("up/" + odd), StandardCharsets.UTF_8));
    assertEquals("text/plain", storage.get(BlobId.of(BUCKET, "up/" + odd)).getContentType());
    assertArrayEquals(large, read("up/big.bin"));
    // Parallel composite uploads are off by default: one object, not a composition of parts.
    assertNull(storage.get(BlobId.of(BUCKET, "up/big.bin")).getComponentCount());
  }

  @Test
  void downloadsAreWholeHashCheckedOrRanged() throws Exception {
    byte[] large = TestBytes.random(3 * 1024 * 1024, 22);
    put("data.bin", large);
    put("digits.txt", "0123456789".getBytes(StandardCharsets.UTF_8));
    Path target = work.resolve("copy.bin");
    ClientProcess.Result copied =
        gsutil("-D", "cp", "gs://" + BUCKET + "/data.bin", target.toString());
    assertArrayEquals(large, Files.readAllBytes(target));
    // gsutil compares what it got with the object's MD5 (its crc32c without one) before it
    // keeps the file; -D logs the comparison with both hashes.
    String md5 = TestBytes.md5(large);
    String comparison =
        copied
            .stderr()
            .lines()
            .filter(l -> l.contains("Comparing local vs cloud md5-checksum for " + target))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no hash check logged:\n" + copied.stderr()));
    assertEquals(2, comparison.split(Pattern.quote(md5), -1).length - 1, comparison);
    assertEquals("2345", gsutil("cat", "-r", "2-5", "gs://" + BUCKET + "/digits.txt").stdout());
    assertEquals("789", gsutil("cat", "-r", "-3", "gs://" + BUCKET + "/digits.txt").stdout());
  }

  @Test
  void listingShowsPrefixesRecursionAndSizes() throws Exception {
    for (String name : List.of("a.txt", "b.csv", "dir/c.txt", "dir/sub/d.txt")) {
      put(name, name.getBytes(StandardCharsets.UTF_8));
    }
    String base = "gs://" + BUCKET + "/";
    assertEquals(
        List.of(base + "a.txt", base + "b.csv", base + "dir/"), gsutil("ls", base).stdoutLines());
    String recursive = gsutil("ls", "-l", "-r", base + "dir").stdout();
    assertTrue(recursive.contains(base + "dir/c.txt"), recursive);
    assertTrue(recursive.contains(base + "dir/sub/:"), recursive);
    assertTrue(
        recursive.matches("(?s).*\\s13\\s+\\S+Z\\s+" + base + "dir/sub/d\\.txt.*"), recursive);
    assertTrue(recursive.contains("TOTAL: 2 objects, 22 bytes"), recursive);
  }

  @Test
  void metadataIsShownAndSet() throws Exception {
    byte[] bytes = "m".getBytes(StandardCharsets.UTF_8);
    put("m.txt", bytes);
    gsutil(
        "setmeta",
        "-h",
        "Content-Type:text/markdown",
        "-h",
        "x-goog-meta-origin:gsutil",
        "gs://" + BUCKET + "/m.txt");
    Blob updated = storage.get(BlobId.of(BUCKET, "m.txt"));
    assertEquals("text/markdown", updated.getContentType());
    assertEquals(Map.of("origin", "gsutil"), updated.getMetadata());
    String stat = gsutil("stat", "gs://" + BUCKET + "/m.txt").stdout();
    assertTrue(stat.matches("(?s).*Content-Type:\\s+text/markdown\n.*"), stat);
    assertTrue(stat.matches("(?s).*origin:\\s+gsutil\n.*"), stat);
    assertTrue(stat.contains(TestBytes.md5(bytes)), stat);
    assertTrue(stat.contains(TestBytes.crc32c(bytes)), stat);
    assertTrue(stat.matches("(?s).*Generation:\\s+" + updated.getGeneration() + "\n.*"), stat);
  }

  @Test
  void aMoveCopiesThenDeletesTheSource() throws Exception {
    put("one.txt", "one".getBytes(StandardCharsets.UTF_8));
    gsutil("mv", "gs://" + BUCKET + "/one.txt", "gs://" + BUCKET + "/moved.txt");
    assertEquals(List.of("moved.txt"), names());
    assertEquals("one", new String(read("moved.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void aFailedPreconditionIsReportedAs412AndChangesNothing() throws Exception {
    put("kept.txt", "v1".getBytes(StandardCharsets.UTF_8));
    Path v2 = Files.writeString(work.resolve("v2.txt"), "v2");
    ClientProcess.Result small =
        gsutilMayFail(
            "-h",
            "x-goog-if-generation-match:1",
            "cp",
            v2.toString(),
            "gs://" + BUCKET + "/kept.txt");
    assertNotEquals(0, small.exitCode(), small.describe());
    assertTrue(small.stderr().contains("PreconditionException: 412"), small.describe());
    // A file above the resumable threshold goes through a resumable session, refused at its start.
    Path large = Files.write(work.resolve("large.bin"), TestBytes.random(9 * 1024 * 1024, 23));
    ClientProcess.Result resumable =
        gsutilMayFail(
            "-h",
            "x-goog-if-generation-match:1",
            "cp",
            large.toString(),
            "gs://" + BUCKET + "/kept.txt");
    assertNotEquals(0, resumable.exitCode(), resumable.describe());
    assertTrue(
        resumable.stderr().contains("ResumableUploadAbortException: 412"), resumable.describe());
    assertEquals("v1", new String(read("kept.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void objectsAreDeletedOneByOneRecursivelyAndWithTheirBucket() throws Exception {
    for (String name : List.of("keep.txt", "dir/a", "dir/b/c", "gone.txt")) {
      put(name, name.getBytes(StandardCharsets.UTF_8));
    }
    gsutil("rm", "gs://" + BUCKET + "/gone.txt");
    gsutil("rm", "-r", "gs://" + BUCKET + "/dir");
    assertEquals(List.of("keep.txt"), names());
    gsutil("rm", "-r", "gs://" + BUCKET);
    assertNull(storage.get(BUCKET));
  }

  private ClientProcess.Result gsutil(String... args) throws Exception {
    ClientProcess.Result result = gsutilMayFail(args);
    assertEquals(0, result.exitCode(), result.describe());
    return result;
  }

  private ClientProcess.Result gsutilMayFail(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("gsutil");
    command.addAll(List.of(args));
    return ClientProcess.run(command, env, work, DEADLINE);
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
