package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class LocalCloudFirestoreTest {

  @Test
  void writesAndReadsADocumentThroughTheOfficialClient(LocalCloud cloud) throws Exception {
    DocumentReference run = cloud.firestore().collection("runs").document("r1");

    run.set(Map.of("state", "SUBMITTED", "rows", 3L)).get();

    assertThat(run.get().get().getData())
        .containsEntry("state", "SUBMITTED")
        .containsEntry("rows", 3L);
  }

  @Test
  void resetDeletesEveryDocument(LocalCloud cloud) throws Exception {
    DocumentReference job = cloud.firestore().document("runs/r1/jobs/j1");
    job.set(Map.of("active", true)).get();

    cloud.reset();

    assertThat(job.get().get().exists()).isFalse();
    assertThat(cloud.firestore().collection("runs").get().get().isEmpty()).isTrue();
  }
}
