package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BucketTest {
  private static EmulatedStorage emulated;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
    storage = emulated.storage();
  }

  @AfterAll
  static void stop() {
    emulated.close();
  }

  @BeforeEach
  void reset() {
    emulated.emulator().reset();
  }

  @Test
  void createdBucketsCanBeFetchedAndListed() {
    Bucket created =
        storage.create(
            BucketInfo.newBuilder("batchdrop-inbox").setLocation("europe-west4").build());
    storage.create(BucketInfo.of("batchdrop-work"));

    assertThat(created.getName()).isEqualTo("batchdrop-inbox");
    assertThat(storage.get("batchdrop-inbox").getLocation()).isEqualTo("EUROPE-WEST4");
    assertThat(storage.list().iterateAll())
        .extracting(Bucket::getName)
        .containsExactly("batchdrop-inbox", "batchdrop-work");
  }

  @Test
  void creatingABucketTwiceConflicts() {
    storage.create(BucketInfo.of("twice"));

    assertThatThrownBy(() -> storage.create(BucketInfo.of("twice")))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void onlyEmptyBucketsCanBeDeleted() {
    storage.create(BucketInfo.of("full"));
    storage.create(BlobInfo.newBuilder("full", "x").build(), new byte[] {1});

    assertThatThrownBy(() -> storage.delete("full"))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    storage.delete(BlobId.of("full", "x"));
    assertThat(storage.delete("full")).isTrue();
    assertThat(storage.get("full")).isNull();
  }

  @Test
  void resetForgetsEveryBucket() {
    storage.create(BucketInfo.of("temporary"));

    emulated.emulator().reset();

    assertThat(storage.get("temporary")).isNull();
    assertThat(storage.list().iterateAll()).isEmpty();
  }

  @Test
  void invalidBucketNamesAreRejected() {
    assertThatThrownBy(() -> storage.create(BucketInfo.of("Not_Valid!")))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(400));
  }
}
