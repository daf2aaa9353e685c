package io.batchdrop.emulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every call but an upload chunk needs the API key, answered as the real API answers. */
class ApiKeyTest {

  private static LocalGemini local;

  @BeforeAll
  static void start() throws Exception {
    local = LocalGemini.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  @Test
  void aWrongKeyIsA400WithApiKeyInvalid() {
    try (Client wrong = local.client("not-the-key")) {
      assertThatThrownBy(() -> wrong.batches.get("batches/abc", null))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(400);
                assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
                assertThat(e.message())
                    .startsWith("API key not valid. Please pass a valid API key.");
              });
    }
    JsonNode error =
        LocalGemini.parse(local.raw("GET", "/v1beta/batches", "not-the-key").body()).path("error");
    assertThat(error.at("/details/0/reason").asText()).isEqualTo("API_KEY_INVALID");
  }

  @Test
  void noKeyAtAllIsA403PermissionDenied() {
    HttpResponse<String> answer = local.raw("GET", "/v1beta/batches", null);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(LocalGemini.parse(answer.body()).at("/error/status").asText())
        .isEqualTo("PERMISSION_DENIED");
  }

  @Test
  void theKeyMayComeAsAQueryParameter() {
    HttpResponse<String> answer = local.raw("GET", "/v1beta/batches?key=" + LocalGemini.KEY, null);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(LocalGemini.parse(answer.body()).has("operations")).isTrue();
  }

  @Test
  void aRotatedKeyIsAcceptedAndTheOldOneIsThenRefusedLikeAnyUnknownKey() {
    try {
      local.emulator.knobs().rotateApiKey("the-new-key");

      assertThat(local.raw("GET", "/v1beta/batches", "the-new-key").statusCode()).isEqualTo(200);
      HttpResponse<String> old = local.raw("GET", "/v1beta/batches", LocalGemini.KEY);
      assertThat(old.statusCode()).isEqualTo(400);
      assertThat(LocalGemini.parse(old.body()).at("/error/details/0/reason").asText())
          .isEqualTo("API_KEY_INVALID");
    } finally {
      local.reset();
    }
    assertThat(local.raw("GET", "/v1beta/batches", LocalGemini.KEY).statusCode())
        .as("reset: the key the emulator started with")
        .isEqualTo(200);
  }

  @Test
  void theKeyNeverAppearsInAnAnswer() {
    HttpResponse<String> wrong = local.raw("GET", "/v1beta/files/x", "secret-wrong-key");

    assertThat(wrong.body()).doesNotContain("secret-wrong-key");
  }
}
