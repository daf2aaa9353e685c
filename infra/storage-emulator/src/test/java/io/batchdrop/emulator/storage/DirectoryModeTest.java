package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryModeTest {
  @TempDir Path dir;

  @Test
  void objectsAreRealFilesUnderBucketAndName() throws Exception {
    try (EmulatedStorage emulated =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      Storage storage = emulated.storage();
      storage.create(BucketInfo.of("inbox"));
      storage.create(
          BlobInfo.newBuilder("inbox", "2026/11/requests.jsonl").build(), bytes("{\"a\":1}\n"));

      assertThat(dir.resolve("inbox/2026/11/requests.jsonl")).hasContent("{\"a\":1}");

      storage.create(
          BlobInfo.newBuilder("inbox", "2026/11/requests.jsonl").build(), bytes("replaced"));
      assertThat(dir.resolve("inbox/2026/11/requests.jsonl")).hasContent("replaced");

      storage.delete(BlobId.of("inbox", "2026/11/requests.jsonl"));
      assertThat(dir.resolve("inbox/2026")).doesNotExist();
      assertThat(dir.resolve("inbox")).isDirectory();
    }
  }

  @Test
  void aNameSegmentTooLongForAFileIsRefusedSayingSo() throws Exception {
    // Legal in Cloud Storage (1,024 bytes for the whole name), but no usual file system takes a
    // 306-byte file name: the emulator says so, where it claimed a file and a folder collided.
    String name = "incoming/" + "n".repeat(300) + ".jsonl";
    try (EmulatedStorage emulated =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      Storage storage = emulated.storage();
      storage.create(BucketInfo.of("inbox"));

      assertThatThrownBy(
              () -> storage.create(BlobInfo.newBuilder("inbox", name).build(), bytes("{}\n")))
          .isInstanceOfSatisfying(
              StorageException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getMessage())
                    .contains(
                        "directory mode cannot store an object whose name has a segment of 306"
                            + " bytes: its file system takes at most 255 bytes a file name");
              });
      assertThat(storage.get(BlobId.of("inbox", name))).isNull();
    }
  }

  @Test
  void largeResumableUploadsLandOnDiskIntact() throws Exception {
    byte[] content = TestBytes.random(22 * 1024 * 1024, 13);
    try (EmulatedStorage emulated =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      Storage storage = emulated.storage();
      storage.create(BucketInfo.of("work"));
      try (WriteChannel writer =
          storage.writer(BlobInfo.newBuilder("work", "big/output.bin").build())) {
        writer.setChunkSize(4 * 1024 * 1024);
        writer.write(ByteBuffer.wrap(content));
      }

      Blob blob = storage.get(BlobId.of("work", "big/output.bin"));
      assertThat(blob.getMd5()).isEqualTo(TestBytes.md5(content));
      assertThat(Files.readAllBytes(dir.resolve("work/big/output.bin"))).isEqualTo(content);
      assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(content);
    }
  }

  @Test
  void aRestartOnTheSameDirectoryKeepsBucketsObjectsAndMetadata() throws Exception {
    Blob written;
    try (EmulatedStorage first =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      first.storage().create(BucketInfo.of("inbox"));
      written =
          first
              .storage()
              .create(
                  BlobInfo.newBuilder("inbox", "kept.txt")
                      .setContentType("text/plain")
                      .setMetadata(Map.of("k", "v"))
                      .build(),
                  bytes("kept"));
    }

    try (EmulatedStorage second =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      Blob found = second.storage().get(BlobId.of("inbox", "kept.txt"));

      assertThat(found.getGeneration()).isEqualTo(written.getGeneration());
      assertThat(found.getContentType()).isEqualTo("text/plain");
      assertThat(found.getMetadata()).containsEntry("k", "v");
      assertThat(second.storage().readAllBytes(found.getBlobId())).isEqualTo(bytes("kept"));
      Blob overwritten =
          second.storage().create(BlobInfo.newBuilder("inbox", "kept.txt").build(), bytes("new"));
      assertThat(overwritten.getGeneration()).isGreaterThan(written.getGeneration());
    }
  }

  @Test
  void filesDroppedIntoABucketDirectoryBecomeObjects() throws Exception {
    Files.createDirectories(dir.resolve("inbox/by-hand"));
    Files.writeString(dir.resolve("inbox/by-hand/sample.jsonl"), "{\"x\":1}\n");

    try (EmulatedStorage emulated =
        EmulatedStorage.start(StorageEmulatorConfig.inMemory().withDirectory(dir))) {
      Storage storage = emulated.storage();

      assertThat(storage.get("inbox")).isNotNull();
      Blob blob = storage.get(BlobId.of("inbox", "by-hand/sample.jsonl"));
      assertThat(blob.getCrc32c()).isEqualTo(TestBytes.crc32c(bytes("{\"x\":1}\n")));
      assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(bytes("{\"x\":1}\n"));
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
