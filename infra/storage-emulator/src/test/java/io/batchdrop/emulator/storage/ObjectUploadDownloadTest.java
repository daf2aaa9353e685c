package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ObjectUploadDownloadTest {
  private static final String BUCKET = "inbox";

  @RegisterExtension static final FreshBuckets BUCKETS = new FreshBuckets(BUCKET);

  private final Storage storage = BUCKETS.storage();

  @Test
  void emptyObjectsRoundTripThroughDirectAndResumableUploads() throws Exception {
    Blob direct = storage.create(BlobInfo.newBuilder(BUCKET, "empty-direct").build(), new byte[0]);
    storage.writer(BlobInfo.newBuilder(BUCKET, "empty-resumable").build()).close();

    assertThat(direct.getSize()).isZero();
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "empty-direct"))).isEmpty();
    Blob resumable = storage.get(BlobId.of(BUCKET, "empty-resumable"));
    assertThat(resumable.getSize()).isZero();
    assertThat(resumable.getCrc32c()).isEqualTo(TestBytes.crc32c(new byte[0]));
    assertThat(storage.readAllBytes(resumable.getBlobId())).isEmpty();
  }

  @Test
  void smallObjectKeepsBytesContentTypeMetadataAndChecksums() throws Exception {
    byte[] content = "{\"hello\":\"world\"}\n".getBytes(StandardCharsets.UTF_8);
    BlobInfo info =
        BlobInfo.newBuilder(BUCKET, "requests/file.jsonl")
            .setContentType("application/jsonl")
            .setMetadata(Map.of("batchdrop-model", "gemini-2.5-flash", "batchdrop-policy", "skip"))
            .build();

    Blob created = storage.create(info, content);
    Blob fetched = storage.get(BlobId.of(BUCKET, "requests/file.jsonl"));

    assertThat(storage.readAllBytes(fetched.getBlobId())).isEqualTo(content);
    assertThat(fetched.getContentType()).isEqualTo("application/jsonl");
    assertThat(fetched.getMetadata())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("batchdrop-model", "gemini-2.5-flash", "batchdrop-policy", "skip"));
    assertThat(fetched.getSize()).isEqualTo(content.length);
    assertThat(fetched.getMd5()).isEqualTo(TestBytes.md5(content));
    assertThat(fetched.getCrc32c()).isEqualTo(TestBytes.crc32c(content));
    assertThat(fetched.getGeneration()).isEqualTo(created.getGeneration()).isPositive();
    assertThat(fetched.getMetageneration()).isEqualTo(1L);
    assertThat(fetched.getCreateTimeOffsetDateTime()).isNotNull();
    assertThat(fetched.getUpdateTimeOffsetDateTime()).isNotNull();
    assertThat(fetched.getEtag()).isNotBlank();
  }

  @Test
  void largeObjectWrittenInChunksKeepsEveryByte() throws Exception {
    byte[] content = TestBytes.random(21 * 1024 * 1024 + 12345, 7);

    try (WriteChannel writer =
        storage.writer(
            BlobInfo.newBuilder(BUCKET, "big.bin")
                .setContentType("application/octet-stream")
                .build())) {
      writer.setChunkSize(2 * 1024 * 1024);
      ByteBuffer source = ByteBuffer.wrap(content);
      while (source.hasRemaining()) {
        ByteBuffer slice = source.slice();
        slice.limit(Math.min(slice.remaining(), 700_001));
        source.position(source.position() + writer.write(slice));
      }
    }

    Blob blob = storage.get(BlobId.of(BUCKET, "big.bin"));
    assertThat(blob.getSize()).isEqualTo(content.length);
    assertThat(blob.getMd5()).isEqualTo(TestBytes.md5(content));
    assertThat(blob.getCrc32c()).isEqualTo(TestBytes.crc32c(content));
    assertThat(storage.readAllBytes(blob.getBlobId())).isEqualTo(content);
  }

  @Test
  void createFromFileUploadsTheFile(@TempDir Path dir) throws Exception {
    byte[] content = TestBytes.random(3 * 1024 * 1024 + 5, 11);
    Path file = dir.resolve("upload.bin");
    Files.write(file, content);

    storage.createFrom(BlobInfo.newBuilder(BUCKET, "from-file.bin").build(), file);

    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "from-file.bin"))).isEqualTo(content);
  }

  @Test
  void readChannelReadsFromSeekPositionsAndStopsAtTheLimit() throws Exception {
    byte[] content = TestBytes.random(1_000_000, 3);
    storage.create(BlobInfo.newBuilder(BUCKET, "ranged.bin").build(), content);

    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "ranged.bin"))) {
      reader.seek(123_456);
      assertThat(readAll(reader)).isEqualTo(Arrays.copyOfRange(content, 123_456, content.length));
    }
    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "ranged.bin"))) {
      reader.seek(500_000);
      reader.limit(500_010);
      assertThat(readAll(reader)).isEqualTo(Arrays.copyOfRange(content, 500_000, 500_010));
    }
    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "ranged.bin"))) {
      reader.setChunkSize(64 * 1024);
      ByteBuffer first = ByteBuffer.allocate(10);
      reader.read(first);
      reader.seek(999_990);
      assertThat(readAll(reader)).isEqualTo(Arrays.copyOfRange(content, 999_990, 1_000_000));
      assertThat(first.array()).isEqualTo(Arrays.copyOfRange(content, 0, 10));
    }
  }

  @Test
  void readingFromTheEndOfAnObjectYieldsNothing() throws Exception {
    storage.create(
        BlobInfo.newBuilder(BUCKET, "short.txt").build(), "abc".getBytes(StandardCharsets.UTF_8));

    try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "short.txt"))) {
      reader.seek(3);
      assertThat(readAll(reader)).isEmpty();
    }
  }

  @Test
  void namesWithSlashesSpacesAndUnicodeRoundTrip() throws Exception {
    String name = "a folder/sub+dir/naïve file (1) #%?&=ü漢字.jsonl";
    storage.create(BlobInfo.newBuilder(BUCKET, name).build(), "x".getBytes(StandardCharsets.UTF_8));

    Blob blob = storage.get(BlobId.of(BUCKET, name));

    assertThat(blob.getName()).isEqualTo(name);
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, name))).containsExactly('x');
    assertThat(storage.list(BUCKET).iterateAll()).extracting(Blob::getName).containsExactly(name);
    assertThat(storage.delete(BlobId.of(BUCKET, name))).isTrue();
    assertThat(storage.get(BlobId.of(BUCKET, name))).isNull();
  }

  @Test
  void missingObjectsAreReportedAsNotFound() {
    assertThat(storage.get(BlobId.of(BUCKET, "nope"))).isNull();
    assertThat(storage.delete(BlobId.of(BUCKET, "nope"))).isFalse();
    assertThatThrownBy(() -> storage.readAllBytes(BlobId.of(BUCKET, "nope")))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThatThrownBy(
            () ->
                storage.create(BlobInfo.newBuilder("no-such-bucket", "x").build(), new byte[] {1}))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
  }

  @Test
  void metadataUpdateChangesFieldsAndRaisesMetageneration() {
    Blob created =
        storage.create(
            BlobInfo.newBuilder(BUCKET, "meta.txt")
                .setContentType("text/plain")
                .setMetadata(Map.of("a", "1"))
                .build(),
            "m".getBytes(StandardCharsets.UTF_8));

    Blob updated =
        storage.update(
            created.toBuilder()
                .setContentType("application/json")
                .setMetadata(Map.of("a", "1", "b", "2"))
                .build());

    assertThat(updated.getGeneration()).isEqualTo(created.getGeneration());
    assertThat(updated.getMetageneration()).isEqualTo(2L);
    Blob fetched = storage.get(created.getBlobId());
    assertThat(fetched.getContentType()).isEqualTo("application/json");
    assertThat(fetched.getMetadata())
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2"));
  }

  private static byte[] readAll(ReadChannel reader) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(100_000);
    while (reader.read(buffer) >= 0) {
      buffer.flip();
      out.write(buffer.array(), 0, buffer.limit());
      buffer.clear();
    }
    return out.toByteArray();
  }
}
