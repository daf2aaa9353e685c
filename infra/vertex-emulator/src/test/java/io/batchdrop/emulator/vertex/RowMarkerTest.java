package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-row behaviour chosen by a {@code [vertex:...]} marker in the prompt text. */
class RowMarkerTest {
  @RegisterExtension static final FreshVertex VERTEX = new FreshVertex();

  private final LocalVertex local = VERTEX.local();

  @ParameterizedTest
  @CsvSource({
    "[vertex:fail-400], Bad Request, 400, INVALID_ARGUMENT",
    "[vertex:fail-429], RESOURCE_EXHAUSTED error occurred, 429, RESOURCE_EXHAUSTED",
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
  void aQuotaFailureUsesVertexsOwnWordsWithTheModelNamed() {
    String status =
        byKey(local.run("run-s1-a1", List.of(InputLines.prompt("k1", "[vertex:fail-429]"))))
            .get("k1")
            .path("status")
            .asText();

    assertThat(status)
        .isEqualTo(
            "RESOURCE_EXHAUSTED error occurred: {\"error\": {\"code\": 429, \"message\": "
                + "\"Online prediction request quota exceeded for gemini-2.5-flash. Please try again"
                + " later with backoff.\", \"status\": \"RESOURCE_EXHAUSTED\"}}");
  }

  @Test
  void aFail429OnceRowFailsInTheFirstAttemptAndSucceedsInTheSecond() {
    List<String> lines =
        List.of(
            InputLines.prompt("ok", "fine"), InputLines.prompt("flaky", "[vertex:fail-429-once]"));

    BatchPredictionJob first = local.run("r1-s1-a1", lines);
    BatchPredictionJob second = local.run("r1-s1-a2", lines);

    assertThat(first.getCompletionStats().getFailedCount()).isEqualTo(1);
    assertThat(byKey(first).get("flaky").path("status").asText())
        .startsWith("RESOURCE_EXHAUSTED error occurred: {\"error\": {\"code\": 429,");
    assertThat(byKey(first).get("flaky").has("response")).isFalse();
    assertThat(second.getCompletionStats().getFailedCount()).isZero();
    assertThat(second.getCompletionStats().getSuccessfulCount()).isEqualTo(2);
    assertThat(byKey(second).get("flaky").path("status").asText()).isEmpty();
    assertThat(
            byKey(second).get("flaky").at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: [vertex:fail-429-once]");
  }

  @Test
  void theAttemptIsReadFromTheJobLabelBeforeTheDisplayName() {
    List<String> lines = List.of(InputLines.prompt("flaky", "[vertex:fail-429-once]"));

    BatchPredictionJob labelSaysRetry =
        local.run("shown-a1", lines, job -> job.putLabels("batchdrop-job", "r1-s1-a2"));
    BatchPredictionJob noLabel =
        local.run("r2-s1-a1", lines, job -> job.removeLabels("batchdrop-job"));
    BatchPredictionJob notOurs = local.run("nightly-a10", lines);

    assertThat(labelSaysRetry.getCompletionStats().getSuccessfulCount()).isEqualTo(1);
    assertThat(noLabel.getCompletionStats().getFailedCount()).isEqualTo(1);
    assertThat(notOurs.getCompletionStats().getSuccessfulCount()).isEqualTo(1);
  }

  @Test
  void aMissingOnceRowIsAbsentFromTheFirstAttemptOnly() {
    List<String> lines =
        List.of(InputLines.prompt("k1", "a"), InputLines.prompt("late", "b [vertex:missing-once]"));

    BatchPredictionJob first = local.run("r1-s1-a1", lines);
    BatchPredictionJob second = local.run("r1-s1-a2", lines);

    assertThat(byKey(first)).containsOnlyKeys("k1");
    assertThat(first.getCompletionStats().getIncompleteCount()).isEqualTo(1);
    assertThat(byKey(second)).containsOnlyKeys("k1", "late");
    assertThat(second.getCompletionStats().getIncompleteCount()).isZero();
  }

  @Test
  void anImageAnswerCarriesADecodablePngAsBase64InlineData() throws Exception {
    Map<String, JsonNode> rows =
        byKey(
            local.run(
                "job-a",
                List.of(
                    InputLines.prompt("cat", "draw a cat [vertex:image]"),
                    InputLines.prompt("dog", "draw a dog [vertex:image]"))));

    JsonNode parts = rows.get("cat").at("/response/candidates/0/content/parts");
    assertThat(parts.get(0).path("text").asText()).isEqualTo("echo: draw a cat [vertex:image]");
    JsonNode inline = parts.get(1).path("inlineData");
    assertThat(inline.path("mimeType").asText()).isEqualTo("image/png");
    BufferedImage image =
        ImageIO.read(
            new ByteArrayInputStream(Base64.getDecoder().decode(inline.path("data").asText())));
    assertThat(image.getWidth()).isEqualTo(64);
    assertThat(image.getHeight()).isEqualTo(64);
    assertThat(rows.get("dog").at("/response/candidates/0/content/parts/1/inlineData/data"))
        .isNotEqualTo(inline.path("data"));
    JsonNode usage = rows.get("cat").at("/response/usageMetadata");
    assertThat(usage.at("/candidatesTokensDetails/1/modality").asText()).isEqualTo("IMAGE");
    assertThat(usage.at("/candidatesTokensDetails/1/tokenCount").asLong()).isEqualTo(1290);
    assertThat(usage.path("candidatesTokenCount").asLong())
        .isEqualTo(1290 + usage.at("/candidatesTokensDetails/0/tokenCount").asLong());
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

  private Map<String, JsonNode> byKey(BatchPredictionJob job) {
    return local.outputRows(job).stream()
        .collect(Collectors.toMap(row -> row.path("key").asText(), Function.identity()));
  }
}
