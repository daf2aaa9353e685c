package io.batchdrop.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.storage.StorageOptions;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.emulator.vertex.VertexEmulator;
import io.batchdrop.emulator.vertex.VertexEmulatorConfig;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients a function starts building when it is constructed: the first call gets a working client
 * whether or not the background build has finished, and a build that fails in the background fails
 * the call that needs it, with the same error as without the head start.
 */
class CloudClientsTest {
  private static VertexEmulator vertex;

  @BeforeAll
  static void start() throws Exception {
    // Never contacted: the calls here only list jobs.
    var unusedStorage =
        StorageOptions.http()
            .setHost("http://127.0.0.1:9")
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    vertex = VertexEmulator.start(VertexEmulatorConfig.immediate(unusedStorage));
  }

  @AfterAll
  static void stop() throws Exception {
    vertex.close();
  }

  @Test
  void aClientStartedInTheBackgroundAnswersTheFirstCall() throws Exception {
    try (CloudClients clients = new CloudClients(config(vertex.endpoint()))) {
      clients.startBuilding(EnumSet.of(CloudClients.Service.VERTEX), List.of("events"));

      assertThat(list(clients).getBatchPredictionJobsList()).isEmpty();
      assertThat(clients.publisher("events").getTopicNameString())
          .isEqualTo("projects/p/topics/events");
    }
  }

  @Test
  void aClientThatCannotBeBuiltFailsTheCallThatNeedsItEveryTime() throws Exception {
    // An endpoint without a port: the JobService client refuses it when it is built.
    try (CloudClients clients = new CloudClients(config("127.0.0.1"))) {
      clients.startBuilding(EnumSet.allOf(CloudClients.Service.class), List.of());

      for (int call = 1; call <= 2; call++) {
        assertThatThrownBy(() -> list(clients))
            .as("call %d", call)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("expecting \"<host>:<port>\"");
      }
    }
  }

  @Test
  void anInstanceClosedWhileItsClientsAreStillBeingBuiltClosesCleanly() throws Exception {
    CloudClients clients = new CloudClients(config(vertex.endpoint()));
    clients.startBuilding(
        EnumSet.allOf(CloudClients.Service.class), List.of("events", "completions"));

    clients.close();

    // Built after all, then closed with the rest, instead of left open with its channel.
    assertThat(clients.jobService().isShutdown()).isTrue();
  }

  private static com.google.cloud.aiplatform.v1.ListBatchPredictionJobsResponse list(
      CloudClients clients) {
    return clients
        .jobService()
        .listBatchPredictionJobsCallable()
        .call(
            ListBatchPredictionJobsRequest.newBuilder()
                .setParent("projects/p/locations/us-central1")
                .build());
  }

  private static BatchdropConfig config(String vertexEndpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", "p");
    env.put("BATCHDROP_INBOX_BUCKET", "inbox");
    env.put("BATCHDROP_WORK_BUCKET", "work");
    env.put("BATCHDROP_RESULTS_TOPIC", "results");
    env.put("BATCHDROP_EVENTS_TOPIC", "events");
    env.put("BATCHDROP_COMPLETIONS_TOPIC", "completions");
    env.put("VERTEX_ENDPOINT", vertexEndpoint);
    // Built, never called: nothing listens on these.
    env.put("FIRESTORE_EMULATOR_HOST", "127.0.0.1:9");
    env.put("PUBSUB_EMULATOR_HOST", "127.0.0.1:9");
    env.put("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9");
    env.put("BATCHDROP_VERTEX_DEADLINE_SECONDS", "5");
    return BatchdropConfig.fromEnvironment(env);
  }
}
