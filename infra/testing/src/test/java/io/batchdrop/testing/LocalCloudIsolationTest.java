package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.storage.BucketInfo;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Every test has a cloud of its own on the shared emulator processes: the second test looks for
 * what the first one left and finds nothing, so they run in order, one after the other.
 */
@LocalCloudTest
@Execution(ExecutionMode.SAME_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalCloudIsolationTest {
  private static final AtomicReference<Map<String, String>> FIRST = new AtomicReference<>();

  @Test
  @Order(1)
  void aTestWritesADocumentATopicAndABucketOnItsOwnCloud(LocalCloud cloud) throws Exception {
    cloud.firestore().document("runs/left-behind").set(Map.of("state", "SUBMITTED")).get();
    cloud.createTopic("left-behind");
    cloud.storage().create(BucketInfo.of("left-behind"));
    FIRST.set(cloud.environment());

    assertThat(cloud.firestore().document("runs/left-behind").get().get().exists()).isTrue();
  }

  @Test
  @Order(2)
  void theNextTestIsOnAnotherProjectOfTheSameProcessesAndTheFirstProjectIsWiped(LocalCloud cloud)
      throws Exception {
    Map<String, String> first = FIRST.get();
    assertThat(first).as("the first test ran").isNotNull();
    String firstProject = first.get(LocalCloud.GOOGLE_CLOUD_PROJECT);

    assertThat(cloud.projectId()).isNotEqualTo(firstProject);
    assertThat(cloud.environment().get(LocalCloud.FIRESTORE_EMULATOR_HOST))
        .as("the same Firestore emulator process")
        .isEqualTo(first.get(LocalCloud.FIRESTORE_EMULATOR_HOST));
    assertThat(cloud.environment().get(LocalCloud.PUBSUB_EMULATOR_HOST))
        .isEqualTo(first.get(LocalCloud.PUBSUB_EMULATOR_HOST));
    assertThat(cloud.storage().get("left-behind")).as("a fresh storage emulator").isNull();
    assertThat(cloud.topicAdmin().listTopics("projects/" + cloud.projectId()).iterateAll())
        .isEmpty();
    try (Firestore previous =
        FirestoreOptions.newBuilder()
            .setProjectId(firstProject)
            .setEmulatorHost(first.get(LocalCloud.FIRESTORE_EMULATOR_HOST))
            .build()
            .getService()) {
      assertThat(previous.document("runs/left-behind").get().get().exists())
          .as("the first test's project was wiped when it ended")
          .isFalse();
    }
    assertThat(cloud.topicAdmin().listTopics("projects/" + firstProject).iterateAll()).isEmpty();
  }
}
