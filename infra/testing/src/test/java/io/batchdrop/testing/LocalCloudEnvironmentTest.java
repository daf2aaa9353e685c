package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class LocalCloudEnvironmentTest {

  @Test
  void holdsExactlyTheVariablesProductionConfigurationReads(LocalCloud cloud) {
    Map<String, String> environment = cloud.environment();

    assertThat(environment)
        .containsOnlyKeys(
            "GOOGLE_CLOUD_PROJECT",
            "FIRESTORE_EMULATOR_HOST",
            "PUBSUB_EMULATOR_HOST",
            "STORAGE_EMULATOR_HOST",
            "VERTEX_ENDPOINT",
            "GEMINI_API_BASE_URL",
            "GEMINI_API_KEY")
        .containsEntry("GOOGLE_CLOUD_PROJECT", cloud.projectId())
        .containsEntry("VERTEX_ENDPOINT", cloud.vertexEmulator().endpoint());
    assertThat(environment.get("STORAGE_EMULATOR_HOST")).matches("http://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void everyEndpointAcceptsConnections(LocalCloud cloud) throws IOException {
    Map<String, String> environment = cloud.environment();
    for (String hostPort :
        new String[] {
          environment.get("FIRESTORE_EMULATOR_HOST"),
          environment.get("PUBSUB_EMULATOR_HOST"),
          environment.get("STORAGE_EMULATOR_HOST").substring("http://".length()),
          environment.get("VERTEX_ENDPOINT"),
          environment.get("GEMINI_API_BASE_URL").substring("http://".length())
        }) {
      assertThat(hostPort).startsWith("127.0.0.1:");
      try (Socket socket = new Socket("127.0.0.1", Integer.parseInt(hostPort.substring(10)))) {
        assertThat(socket.isConnected()).as(hostPort).isTrue();
      }
    }
  }
}
