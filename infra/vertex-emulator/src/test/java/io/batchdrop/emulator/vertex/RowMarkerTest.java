package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-row behaviour chosen by a {@code [vertex:...]} marker in the prompt text. */
class RowMarkerTest {

  private static LocalVertex local;

  @BeforeAll
  static void start() throws Exception {
    local = LocalVertex.start();
  }

  @AfterAll
  static void stop() {
    local.close();
  }

  @BeforeEach
  void reset() {
    local.reset();
  }

  @ParameterizedTest
  @CsvSource({
    "[vertex:fail-400], Bad Request, 400, INVALID_ARGUMENT",
    "[vertex:fail-429], Too Many Requests, 429, RESOURCE_EXHAUSTED",
    "[vertex:fail-500], Internal Server Error, 500, INTERNAL"
  })
  void aFailMarkerFailsOnlyItsRowWithAStatusString(
      String marker, String reason, int code, String status) {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(InputLines.prompt("ok", "fine"), InputLines.prompt("bad", "please " + marker)));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(1);
    assertThat(job.getCompletionStats().getFailedCount()).isEqualTo(1);
    JsonNode bad = byKey(job).get("bad");
    String statusText = bad.path("status").asText();
    assertThat(statusText).startsWith(reason + ": {\"error\": {");
    JsonNode error = LocalVertex.parse(statusText.substring(reason.length() + 2)).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(code);
    assertThat(error.path("status").asText()).isEqualTo(status);
    assertThat(error.path("message").asText()).isNotEmpty();
    assertThat(bad.has("response")).isFalse();
    assertThat(bad.at("/request/labels/batchdrop_row").asText()).isEqualTo("bad");
    assertThat(bad.path("processed_time").asText()).isNotEmpty();
  }

  @Test
  void aMissingRowIsNeverWrittenAndCountsAsIncomplete() {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(
                InputLines.prompt("k1", "a"),
                InputLines.prompt("gone", "b [vertex:missing]"),
                InputLines.prompt("k3", "c")));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(byKey(job)).containsOnlyKeys("k1", "k3");
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(2);
    assertThat(job.getCompletionStats().getIncompleteCount()).isEqualTo(1);
  }

  @Test
  void anImportErrorFailsTheWholeJobWithCode3AndNoOutput() {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(
                InputLines.prompt("k1", "a"), InputLines.prompt("k2", "b [vertex:import-error]")));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(3);
    assertThat(job.getError().getMessage()).startsWith("Failed to import data.").contains("Line 2");
    assertThat(job.hasOutputInfo()).isFalse();
    assertThat(job.hasCompletionStats()).isFalse();
    assertThat(job.hasEndTime()).isTrue();
    assertThat(
            local
                .storage
                .list(
                    LocalVertex.BUCKET,
                    com.google.cloud.storage.Storage.BlobListOption.prefix("output/"))
                .iterateAll())
        .isEmpty();
  }

  @Test
  void aBlockedPromptSucceedsWithoutCandidates() {
    JsonNode row =
        byKey(local.run("job-a", List.of(InputLines.prompt("k1", "[vertex:blocked]")))).get("k1");

    assertThat(row.path("status").asText()).isEmpty();
    assertThat(row.at("/response/candidates").size()).isZero();
    assertThat(row.at("/response/promptFeedback/blockReason").asText()).isEqualTo("SAFETY");
    assertThat(row.at("/response/usageMetadata/candidatesTokenCount").isMissingNode()).isTrue();
    assertThat(row.at("/response/usageMetadata/totalTokenCount").asLong())
        .isEqualTo(row.at("/response/usageMetadata/promptTokenCount").asLong());
  }

  @Test
  void maxTokensAndNoUsageMarkersShapeTheResponse() {
    Map<String, JsonNode> rows =
        byKey(
            local.run(
                "job-a",
                List.of(
                    InputLines.prompt("cut", "[vertex:max-tokens]"),
                    InputLines.prompt("bare", "[vertex:no-usage]"))));

    assertThat(rows.get("cut").at("/response/candidates/0/finishReason").asText())
        .isEqualTo("MAX_TOKENS");
    assertThat(rows.get("bare").at("/response/candidates/0/finishReason").asText())
        .isEqualTo("STOP");
    assertThat(rows.get("bare").at("/response").has("usageMetadata")).isFalse();
  }

  @Test
  void aMarkerInAnEarlierTurnCountsToo() {
    String line =
        "{\"key\":\"k1\",\"request\":{\"contents\":["
            + "{\"role\":\"user\",\"parts\":[{\"text\":\"[vertex:fail-500]\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},"
            + "{\"role\":\"user\",\"parts\":{\"text\":\"again\"}}]}}";

    assertThat(byKey(local.run("job-a", List.of(line))).get("k1").path("status").asText())
        .startsWith("Internal Server Error: ");
  }

  private static Map<String, JsonNode> byKey(BatchPredictionJob job) {
    return local.outputRows(job).stream()
        .collect(Collectors.toMap(row -> row.path("key").asText(), Function.identity()));
  }
}
