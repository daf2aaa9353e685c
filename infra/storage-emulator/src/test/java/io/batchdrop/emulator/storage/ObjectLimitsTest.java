package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.CopyRequest;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Names and custom metadata are refused where Cloud Storage refuses them: by UTF-8 bytes. */
class ObjectLimitsTest {
  private static final String BUCKET = "inbox";
  private static final byte[] CONTENT = "{}\n".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension static final FreshBuckets BUCKETS = new FreshBuckets(BUCKET);

  private final Storage storage = BUCKETS.storage();

  @Test
  void aNameOf1024BytesIsStoredAndOneOf1025IsRefused() {
    String longest = "incoming/" + "n".repeat(1024 - "incoming/".length());

    Blob stored = storage.create(BlobInfo.newBuilder(BUCKET, longest).build(), CONTENT);

    assertThat(stored.getName()).isEqualTo(longest);
    assertRefused(
        () -> storage.create(BlobInfo.newBuilder(BUCKET, longest + "n").build(), CONTENT),
        "The maximum object length is 1024 characters, but got a name with 1025 characters");
  }

  @Test
  void aNameIsCountedInUtf8BytesNotCharacters() {
    // 400 characters, 1,200 bytes: within 1,024 characters, past Cloud Storage's 1,024 bytes.
    String name = "日".repeat(400);

    assertRefused(
        () -> storage.create(BlobInfo.newBuilder(BUCKET, name).build(), CONTENT),
        "but got a name with 1200 characters");
    assertRefused(
        () -> storage.writer(BlobInfo.newBuilder(BUCKET, name).build()).close(),
        "but got a name with 1200 characters");
    assertThat(storage.list(BUCKET).getValues()).isEmpty();
  }

  @Test
  void aCopyToANameTooLongIsRefused() {
    Blob source = storage.create(BlobInfo.newBuilder(BUCKET, "in.jsonl").build(), CONTENT);

    assertRefused(
        () ->
            storage
                .copy(CopyRequest.of(source.getBlobId(), BlobId.of(BUCKET, "é".repeat(513))))
                .getResult(),
        "but got a name with 1026 characters");
  }

  @Test
  void customMetadataOf8KibIsStoredAndMoreIsRefusedOnCreateUploadAndPatch() throws Exception {
    // Keys and values together: "k" and 8,191 bytes, then one more byte.
    Map<String, String> full = Map.of("k", "v".repeat(8 * 1024 - 1));
    Map<String, String> over = Map.of("k", "v".repeat(8 * 1024));

    Blob stored =
        storage.create(BlobInfo.newBuilder(BUCKET, "full").setMetadata(full).build(), CONTENT);

    assertThat(stored.getMetadata()).isEqualTo(full);
    assertRefused(
        () ->
            storage.create(BlobInfo.newBuilder(BUCKET, "over").setMetadata(over).build(), CONTENT),
        "limited to 8192 bytes, but got 8193 bytes");
    assertRefused(
        () -> {
          try (WriteChannel writer =
              storage.writer(BlobInfo.newBuilder(BUCKET, "over").setMetadata(over).build())) {
            writer.write(ByteBuffer.wrap(CONTENT));
          }
        },
        "limited to 8192 bytes, but got 8193 bytes");
    assertRefused(
        () -> storage.update(stored.toBuilder().setMetadata(Map.of("k2", "v")).build()),
        "limited to 8192 bytes, but got 8195 bytes");
    assertThat(storage.get(BlobId.of(BUCKET, "full")).getMetadata()).isEqualTo(full);
    assertThat(storage.get(BlobId.of(BUCKET, "over"))).isNull();
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StorageException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
