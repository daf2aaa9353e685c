package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class LocalCloudStorageTest {

  @Test
  void createsAndReadsAnObjectThroughTheOfficialClient(LocalCloud cloud) {
    cloud.storage().create(BucketInfo.of("inbox"));
    BlobId id = BlobId.of("inbox", "uploads/batch.jsonl");

    cloud
        .storage()
        .create(
            BlobInfo.newBuilder(id).setContentType("application/jsonl").build(),
            "{\"request\":{}}\n".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(cloud.storage().readAllBytes(id), StandardCharsets.UTF_8))
        .isEqualTo("{\"request\":{}}\n");
    assertThat(cloud.storage().get(id).getContentType()).isEqualTo("application/jsonl");
  }

  @Test
  void resetDeletesBuckets(LocalCloud cloud) {
    cloud.storage().create(BucketInfo.of("work"));

    cloud.reset();

    assertThat(cloud.storage().get("work")).isNull();
  }
}
