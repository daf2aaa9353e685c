package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchRequestTest {
  private static EmulatedStorage emulated;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
    storage = emulated.storage();
    storage.create(BucketInfo.of("batch"));
  }

  @AfterAll
  static void stop() {
    emulated.close();
  }

  @Test
  void batchedGetsUpdatesAndDeletesAnswerEachRequestInOrder() {
    storage.create(BlobInfo.newBuilder("batch", "one").build(), new byte[] {1});
    storage.create(BlobInfo.newBuilder("batch", "two/with slash").build(), new byte[] {2});
    BlobId one = BlobId.of("batch", "one");
    BlobId two = BlobId.of("batch", "two/with slash");
    BlobId missing = BlobId.of("batch", "missing");

    List<Blob> fetched = storage.get(one, missing, two);
    List<Blob> updated =
        storage.update(
            BlobInfo.newBuilder(one).setMetadata(Map.of("state", "done")).build(),
            BlobInfo.newBuilder(two).setContentType("text/plain").build());
    List<Boolean> deleted = storage.delete(one, missing, two);

    assertThat(fetched)
        .extracting(blob -> blob == null ? null : blob.getName())
        .containsExactly("one", null, "two/with slash");
    assertThat(updated.get(0).getMetadata()).containsEntry("state", "done");
    assertThat(updated.get(1).getContentType()).isEqualTo("text/plain");
    assertThat(deleted).containsExactly(true, false, true);
    assertThat(storage.list("batch").iterateAll()).isEmpty();
  }
}
