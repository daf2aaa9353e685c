package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.ComposeRequest;
import com.google.cloud.storage.Storage.CopyRequest;
import com.google.cloud.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CopyRewriteComposeTest {
  private static final String INBOX = "inbox";
  private static final String WORK = "work";

  @RegisterExtension static final FreshBuckets BUCKETS = new FreshBuckets(INBOX, WORK);

  private final Storage storage = BUCKETS.storage();

  @Test
  void copyToAnotherBucketKeepsBytesAndFieldsUnderANewGeneration() throws Exception {
    byte[] content = TestBytes.random(300_000, 5);
    Blob source =
        storage.create(
            BlobInfo.newBuilder(INBOX, "in/file.jsonl")
                .setContentType("application/jsonl")
                .setMetadata(Map.of("k", "v"))
                .build(),
            content);

    CopyWriter copy =
        storage.copy(CopyRequest.of(source.getBlobId(), BlobId.of(WORK, "staged/file.jsonl")));
    Blob target = copy.getResult();

    assertThat(copy.isDone()).isTrue();
    assertThat(target.getGeneration()).isGreaterThan(source.getGeneration());
    assertThat(target.getContentType()).isEqualTo("application/jsonl");
    assertThat(target.getMetadata()).containsEntry("k", "v");
    assertThat(target.getCrc32c()).isEqualTo(source.getCrc32c());
    assertThat(storage.readAllBytes(BlobId.of(WORK, "staged/file.jsonl"))).isEqualTo(content);
    assertThat(storage.get(source.getBlobId())).isNotNull();
  }

  @Test
  void copyWithANewTargetResourceUsesItsFields() {
    Blob source =
        storage.create(
            BlobInfo.newBuilder(INBOX, "a")
                .setContentType("text/plain")
                .setMetadata(Map.of("old", "1"))
                .build(),
            "abc".getBytes(StandardCharsets.UTF_8));

    Blob target =
        storage
            .copy(
                CopyRequest.newBuilder()
                    .setSource(source.getBlobId())
                    .setTarget(
                        BlobInfo.newBuilder(WORK, "b")
                            .setContentType("application/json")
                            .setMetadata(Map.of("new", "2"))
                            .build())
                    .build())
            .getResult();

    assertThat(target.getContentType()).isEqualTo("application/json");
    assertThat(target.getMetadata()).containsExactlyEntriesOf(Map.of("new", "2"));
  }

  @Test
  void copyHonoursTargetPreconditionsAndMissingSources() {
    storage.create(BlobInfo.newBuilder(INBOX, "src").build(), "1".getBytes(StandardCharsets.UTF_8));
    storage.create(BlobInfo.newBuilder(WORK, "dst").build(), "2".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                storage.copy(
                    CopyRequest.newBuilder()
                        .setSource(BlobId.of(INBOX, "src"))
                        .setTarget(BlobId.of(WORK, "dst"), BlobTargetOption.doesNotExist())
                        .build()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThatThrownBy(
            () -> storage.copy(CopyRequest.of(BlobId.of(INBOX, "missing"), BlobId.of(WORK, "x"))))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    assertThat(storage.readAllBytes(BlobId.of(WORK, "dst"))).containsExactly('2');
  }

  @Test
  void composeConcatenatesSources() {
    storage.create(
        BlobInfo.newBuilder(WORK, "part-1").build(), "hello ".getBytes(StandardCharsets.UTF_8));
    storage.create(
        BlobInfo.newBuilder(WORK, "part-2").build(), "world".getBytes(StandardCharsets.UTF_8));

    Blob composed =
        storage.compose(
            ComposeRequest.newBuilder()
                .addSource("part-1", "part-2")
                .setTarget(BlobInfo.newBuilder(WORK, "whole").setContentType("text/plain").build())
                .build());

    assertThat(composed.getContentType()).isEqualTo("text/plain");
    assertThat(composed.getCrc32c())
        .isEqualTo(TestBytes.crc32c("hello world".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(storage.readAllBytes(BlobId.of(WORK, "whole")), StandardCharsets.UTF_8))
        .isEqualTo("hello world");
  }
}
