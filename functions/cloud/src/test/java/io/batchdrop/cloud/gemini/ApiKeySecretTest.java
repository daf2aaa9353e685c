package io.batchdrop.cloud.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.ConfigException;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.emulator.gemini.GeminiEmulator;
import io.batchdrop.emulator.gemini.GeminiEmulatorConfig;
import io.batchdrop.emulator.secretmanager.SecretManagerEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Gemini API key as a deployment gets it: a secret version read through the official {@code
 * SecretManagerServiceClient} (against the Secret Manager emulator), once per instance, then used
 * on the Gemini API (the emulator accepts only that key).
 */
class ApiKeySecretTest {
  private static final String KEY = "AIza-secret-from-secret-manager";
  private static SecretManagerEmulator secrets;
  private static GeminiEmulator gemini;

  @BeforeAll
  static void start() throws Exception {
    secrets = SecretManagerEmulator.start("127.0.0.1", 0);
    gemini = GeminiEmulator.start(GeminiEmulatorConfig.immediate(KEY));
  }

  @AfterAll
  static void stop() {
    secrets.close();
    gemini.close();
  }

  @BeforeEach
  void forget() {
    secrets.reset();
  }

  @Test
  void theKeyIsReadFromTheSecretOncePerInstanceAndTheGeminiApiAcceptsIt() throws Exception {
    String version = secrets.addVersion("p", "gemini-api-key", bytes(KEY + "\n"));
    try (CloudClients clients = new CloudClients(config(version))) {
      BatchBackend backend = clients.backends().get("gemini-api");
      clients.backends().get("gemini-api");
      clients.jobCreators(JobCreator.Backoff.SLEEP, Clock.systemUTC());

      // A batch the API does not have: NOT_FOUND, not a refused key.
      assertThatThrownBy(() -> backend.get("batches/none", null))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND));
      assertThat(secrets.accessCount()).as("one read for the instance").isEqualTo(1);
    }
    try (CloudClients another = new CloudClients(config(version))) {
      another.backends().get("gemini-api");
    }
    assertThat(secrets.accessCount()).as("a second instance reads it again").isEqualTo(2);
  }

  @Test
  void aKeyTheServiceDoesNotAcceptIsUnauthenticatedSoNoRowIsRefusedForIt() throws Exception {
    // The API answers an unknown key 400 INVALID_ARGUMENT (API_KEY_INVALID): an operator's problem
    // to fix in the secret, which a retry then gets past; a refusal would fail every row for good.
    String version = secrets.addVersion("p", "gemini-api-key", bytes("AIza-rotated-elsewhere"));
    try (CloudClients clients = new CloudClients(config(version))) {
      BatchBackend backend = clients.backends().get("gemini-api");

      assertThatThrownBy(() -> backend.get("batches/any", null))
          .as("a batch get, the raw HTTP call")
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  assertThat(e.getStatusCode().getCode())
                      .isEqualTo(StatusCode.Code.UNAUTHENTICATED));
      JobSpec spec =
          new JobSpec(
              new JobId(new RunId("0123456789abcdef0123"), 1, 1),
              "models/gemini-2.5-flash",
              "gs://work/runs/r1/input/s1.jsonl",
              "gs://work/runs/r1/output/r1-s1-a1/");
      assertThatThrownBy(() -> backend.find(spec))
          .as("a lookup by display name, through the SDK")
          .isInstanceOfSatisfying(
              ApiException.class,
              e ->
                  assertThat(e.getStatusCode().getCode())
                      .isEqualTo(StatusCode.Code.UNAUTHENTICATED));
    }
  }

  @Test
  void aKeyRotatedInTheSecretIsReadAgainByAnInstanceWhoseOldKeyTheServiceNowRefuses()
      throws Exception {
    // A warm instance (poll runs every minute, so its instance never goes idle) must not keep a
    // key the operator has rotated: every call would be refused until the instance is replaced.
    secrets.addVersion("p", "gemini-api-key", bytes(KEY));
    String latest = "projects/p/secrets/gemini-api-key/versions/latest";
    JobSpec spec =
        new JobSpec(
            new JobId(new RunId("0123456789abcdef0123"), 1, 1),
            "models/gemini-2.5-flash",
            "gs://work/runs/r1/input/s1.jsonl",
            "gs://work/runs/r1/output/r1-s1-a1/");
    try (CloudClients clients = new CloudClients(config(latest))) {
      BatchBackend backend = clients.backends().get("gemini-api");
      assertThat(backend.find(spec)).isEmpty();

      secrets.addVersion("p", "gemini-api-key", bytes("AIza-the-rotated-key"));
      gemini.knobs().rotateApiKey("AIza-the-rotated-key");

      assertThatThrownBy(() -> backend.get("batches/none", null))
          .as("a batch get with the old key refused: the secret is read again and the get repeated")
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.NOT_FOUND));
      assertThat(backend.find(spec)).as("the SDK's calls use the new key too").isEmpty();
      assertThat(secrets.accessCount()).as("one read at start, one after the refusal").isEqualTo(2);
    } finally {
      gemini.reset();
    }
  }

  @Test
  void aKeyThatStaysRefusedIsReadAgainOncePerRefusedCallAndStaysUnauthenticated() throws Exception {
    String version = secrets.addVersion("p", "gemini-api-key", bytes("AIza-never-valid"));
    try (CloudClients clients = new CloudClients(config(version))) {
      BatchBackend backend = clients.backends().get("gemini-api");
      for (int call = 0; call < 2; call++) {
        assertThatThrownBy(() -> backend.get("batches/any", null))
            .isInstanceOfSatisfying(
                ApiException.class,
                e ->
                    assertThat(e.getStatusCode().getCode())
                        .isEqualTo(StatusCode.Code.UNAUTHENTICATED));
      }
      assertThat(secrets.accessCount())
          .as("the first read, then one per refused call")
          .isEqualTo(3);
    }
  }

  @Test
  void aBadRequestThatIsNotAboutTheKeyStaysARefusal() {
    assertThat(
            GeminiErrors.of(400, "{\"error\": {\"message\": \"Invalid JSON payload\"}}", null)
                .getStatusCode()
                .getCode())
        .isEqualTo(StatusCode.Code.INVALID_ARGUMENT);
  }

  @Test
  void aMissingSecretVersionIsAConfigurationErrorNamingTheVariableAndTheVersion() throws Exception {
    String missing = "projects/p/secrets/gemini-api-key/versions/3";
    try (CloudClients clients = new CloudClients(config(missing))) {
      assertThatThrownBy(() -> clients.backends().get("gemini-api"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("BATCHDROP_GEMINI_API_KEY_SECRET is \"" + missing + "\"")
          .hasMessageContaining("NOT_FOUND")
          .hasMessageContaining("expected an enabled secret version");
    }
  }

  @Test
  void anInstanceWhoseSecretWasMissingReadsItOnceAnOperatorAddsIt() throws Exception {
    String first = "projects/p/secrets/later/versions/1";
    try (CloudClients clients = new CloudClients(config(first))) {
      assertThatThrownBy(() -> clients.backends().get("gemini-api"))
          .isInstanceOf(ConfigException.class);

      assertThat(secrets.addVersion("p", "later", bytes(KEY))).isEqualTo(first);
      clients.backends().get("gemini-api");
      clients.backends().get("gemini-api");
    }
    assertThat(secrets.accessCount()).isEqualTo(2);
  }

  @Test
  void aDisabledVersionIsAConfigurationError() {
    String version = secrets.addVersion("p", "gemini-api-key", bytes(KEY));
    secrets.disable(version);

    assertThatThrownBy(() -> ApiKeys.read(choice(version), endpoint()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("FAILED_PRECONDITION");
  }

  @Test
  void anEmptySecretIsAConfigurationError() {
    String version = secrets.addVersion("p", "gemini-api-key", bytes("  \n"));

    assertThatThrownBy(() -> ApiKeys.read(choice(version), endpoint()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("payload is empty");
  }

  @Test
  void aSecretWithALineBreakInsideItsKeyIsAConfigurationErrorThatNeverShowsTheKey()
      throws Exception {
    // Two keys pasted into one version (an old and a new one): HTTP forbids the line break in a
    // header, and the JDK's refusal quotes the whole header value, which poll logs as the reason.
    String version =
        secrets.addVersion("p", "gemini-api-key", bytes("AIza-the-old-key\nAIza-the-new-key\n"));
    try (CloudClients clients = new CloudClients(config(version))) {
      assertThatThrownBy(() -> clients.backends().get("gemini-api").get("batches/none", null))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("BATCHDROP_GEMINI_API_KEY_SECRET is \"" + version + "\"")
          .hasMessageContaining("expected the Gemini API key alone")
          .satisfies(
              e ->
                  assertThat(String.valueOf(e))
                      .doesNotContain("AIza-the-old-key")
                      .doesNotContain("AIza-the-new-key"));
    }
  }

  @Test
  void aPayloadThatFailsItsChecksumIsNeverUsedAndTheNextReadGetsTheKey() {
    String version = secrets.addVersion("p", "gemini-api-key", bytes(KEY));
    secrets.corruptNextAnswers(1);

    assertThatThrownBy(() -> ApiKeys.read(choice(version), endpoint()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("data_crc32c")
        .hasMessageNotContaining(KEY);
    assertThat(ApiKeys.read(choice(version), endpoint()).value()).isEqualTo(KEY);
  }

  @Test
  void theKeyNeverShowsInTheConfigurationsText() {
    String version = secrets.addVersion("p", "gemini-api-key", bytes(KEY));

    BatchdropConfig.ApiKey key = ApiKeys.read(choice(version), endpoint());

    assertThat(key.value()).isEqualTo(KEY);
    assertThat(key.toString()).doesNotContain(KEY);
  }

  private static java.util.Optional<String> endpoint() {
    return java.util.Optional.of(secrets.endpoint());
  }

  private static BatchdropConfig.BackendChoice choice(String version) {
    return config(version).backends();
  }

  private static BatchdropConfig config(String version) {
    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", "p");
    env.put("BATCHDROP_INBOX_BUCKET", "inbox");
    env.put("BATCHDROP_WORK_BUCKET", "work");
    env.put("BATCHDROP_RESULTS_TOPIC", "results");
    env.put("BATCHDROP_EVENTS_TOPIC", "events");
    env.put("BATCHDROP_COMPLETIONS_TOPIC", "completions");
    env.put("BATCHDROP_BACKEND", "gemini-api");
    env.put("BATCHDROP_GEMINI_API_KEY_SECRET", version);
    env.put("SECRET_MANAGER_ENDPOINT", secrets.endpoint());
    env.put("GEMINI_API_BASE_URL", gemini.baseUri().toString());
    // Never contacted: the instance only builds these clients.
    env.put("VERTEX_ENDPOINT", "127.0.0.1:9");
    env.put("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9");
    return BatchdropConfig.fromEnvironment(env);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
