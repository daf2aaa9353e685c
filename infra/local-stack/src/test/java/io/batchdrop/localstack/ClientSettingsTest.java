package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {
  private static final Map<String, String> DEPLOYMENT =
      Map.of(
          "GOOGLE_CLOUD_PROJECT", "batchdrop-local",
          "STORAGE_EMULATOR_HOST", "http://127.0.0.1:9020",
          "VERTEX_ENDPOINT", "127.0.0.1:9021",
          "PUBSUB_EMULATOR_HOST", "127.0.0.1:9022",
          "FIRESTORE_EMULATOR_HOST", "127.0.0.1:9023",
          "BATCHDROP_INBOX_BUCKET", "batchdrop-inbox",
          "BATCHDROP_VERTEX_BACKOFF_MS", "5");

  @Test
  void gcloudIsPointedAtTheStorageJsonApiWithoutCredentials() {
    Map<String, String> settings = ClientSettings.of(DEPLOYMENT);

    assertThat(settings)
        .containsEntry(
            "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", "http://127.0.0.1:9020/storage/v1/")
        .containsEntry("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://127.0.0.1:9022/")
        .containsEntry("CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "True")
        .containsEntry("CLOUDSDK_CORE_PROJECT", "batchdrop-local")
        .containsEntry("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9020")
        .containsEntry("BATCHDROP_INBOX_BUCKET", "batchdrop-inbox")
        .doesNotContainKey("BATCHDROP_VERTEX_BACKOFF_MS");
  }

  @Test
  void gsutilSettingsComeWithGcloudsBeforeTheClientLibraries() {
    Map<String, String> settings =
        ClientSettings.of(
            DEPLOYMENT,
            Map.of(
                "BOTO_CONFIG", "/tmp/batchdrop-up-9020/boto.cfg",
                "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", "/tmp/batchdrop-up-9020/storage-ca.pem"));

    assertThat(settings)
        .containsEntry("BOTO_CONFIG", "/tmp/batchdrop-up-9020/boto.cfg")
        .containsEntry(
            "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", "/tmp/batchdrop-up-9020/storage-ca.pem");
    assertThat(List.copyOf(settings.keySet()))
        .containsSubsequence("CLOUDSDK_CORE_PROJECT", "BOTO_CONFIG", "STORAGE_EMULATOR_HOST");
  }

  @Test
  void theBatchdropToolGetsTheGeminiApiEmulatorAndItsKeyWhenTheStackAllowsGeminiApi() {
    Map<String, String> deployment = new java.util.HashMap<>(DEPLOYMENT);
    deployment.put("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api");
    deployment.put("GEMINI_API_BASE_URL", "http://127.0.0.1:9024");
    deployment.put("GEMINI_API_KEY", "local-gemini-key-7f3a");

    Map<String, String> settings = ClientSettings.of(deployment);

    // Without the key, every ./batchdrop command refuses to start ("BATCHDROP_GEMINI_API_KEY_SECRET
    // is not set"); without the base URL, it would call the real Gemini API.
    assertThat(settings)
        .containsEntry("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api")
        .containsEntry("GEMINI_API_BASE_URL", "http://127.0.0.1:9024")
        .containsEntry("GEMINI_API_KEY", "local-gemini-key-7f3a");
  }

  @Test
  void aValueWithAQuoteSurvivesTheShell() {
    assertThat(ClientSettings.exportLines(Map.of("A", "it's"))).isEqualTo("export A='it'\\''s'\n");
  }
}
