package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.storage.BucketInfo;
import com.google.protobuf.util.Timestamps;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Jobs that really run: input read from and output written to our Cloud Storage emulator. */
class BatchOutputTest {
  @RegisterExtension static final FreshVertex VERTEX = new FreshVertex();

  private final LocalVertex local = VERTEX.local();

  @Test
  void withZeroDelaysCreateAnswersPendingAndTheNextGetSeesTheFinishedJob() {
    String input = local.upload("input/job-a.jsonl", List.of(InputLines.prompt("k1", "hello")));
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a", input, "gs://work/output/job-a").build());

    BatchPredictionJob done = local.client.getBatchPredictionJob(created.getName());

    assertThat(created.getState()).isEqualTo(JobState.JOB_STATE_PENDING);
    assertThat(done.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(Timestamps.compare(done.getStartTime(), done.getCreateTime())).isNotNegative();
    assertThat(Timestamps.compare(done.getEndTime(), done.getStartTime())).isNotNegative();
    assertThat(done.getUpdateTime()).isEqualTo(done.getEndTime());
    assertThat(done.getCompletionStats().getSuccessfulCount()).isEqualTo(1);
    assertThat(done.getCompletionStats().getFailedCount()).isZero();
    assertThat(done.getCompletionStats().getIncompleteCount()).isZero();
    assertThat(done.hasError()).isFalse();
    assertThat(done.getOutputInfo().getGcsOutputDirectory())
        .matches(
            "gs://work/output/job-a/prediction-model-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(local.outputFiles(done)).containsExactly("predictions.jsonl");
  }

  @Test
  void aSuccessRowEchoesRequestAndKeyAndAnswersFromThePrompt() {
    String line = InputLines.prompt("k1", "What is the capital of France?");
    BatchPredictionJob job = local.run("job-a", List.of(line));

    JsonNode row = local.outputRows(job).get(0);

    JsonNode input = LocalVertex.parse(line);
    assertThat(row.path("status").asText("absent")).isEmpty();
    assertThat(row.path("processed_time").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+00:00");
    assertThat(row.get("key")).isEqualTo(input.get("key"));
    assertThat(row.get("request")).isEqualTo(input.get("request"));
    assertThat(row.at("/request/labels/batchdrop_row").asText()).isEqualTo("k1");
    JsonNode candidate = row.at("/response/candidates/0");
    assertThat(candidate.at("/content/role").asText()).isEqualTo("model");
    String answer = candidate.at("/content/parts/0/text").asText();
    assertThat(answer).isEqualTo("echo: What is the capital of France?");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    JsonNode usage = row.at("/response/usageMetadata");
    long promptTokens = ceilQuarter("What is the capital of France?".length());
    long answerTokens = ceilQuarter(answer.length());
    assertThat(usage.path("promptTokenCount").asLong()).isEqualTo(promptTokens);
    assertThat(usage.path("candidatesTokenCount").asLong()).isEqualTo(answerTokens);
    assertThat(usage.path("totalTokenCount").asLong()).isEqualTo(promptTokens + answerTokens);
    assertThat(row.at("/response/modelVersion").asText()).isEqualTo("gemini-2.5-flash@default");
  }

  @Test
  void theAnswerComesFromTheLastUserTurnAndTokensCountTheWholePrompt() {
    String line =
        "{\"custom_id\":\"req-7\",\"request\":{"
            + "\"system_instruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
            + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]},"
            + "{\"role\":\"model\",\"parts\":[{\"text\":\"Hello!\"}]},"
            + "{\"parts\":[{\"text\":\"Name a colour.\"},{\"fileData\":{\"fileUri\":\"gs://work/a.png\",\"mimeType\":\"image/png\"}}]}],"
            + "\"generation_config\":{\"temperature\":0.2}}}";
    JsonNode row = local.outputRows(local.run("job-a", List.of(line))).get(0);

    assertThat(row.path("custom_id").asText()).isEqualTo("req-7");
    assertThat(row.at("/request/generation_config/temperature").asDouble()).isEqualTo(0.2);
    assertThat(row.at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: Name a colour.");
    long textChars =
        "Be brief.".length() + "Hi".length() + "Hello!".length() + "Name a colour.".length();
    assertThat(row.at("/response/usageMetadata/promptTokenCount").asLong())
        .isEqualTo(ceilQuarter(textChars) + 258);
  }

  @Test
  void maxOutputTokensCutsTheAnswer() {
    String line =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
            + "a long question that deserves a long answer\"}]}],\"generationConfig\":{\"maxOutputTokens\":2}}}";
    JsonNode row = local.outputRows(local.run("job-a", List.of(line))).get(0);

    assertThat(row.at("/response/candidates/0/finishReason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(row.at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: a ");
    assertThat(row.at("/response/usageMetadata/candidatesTokenCount").asLong()).isEqualTo(2);
  }

  @Test
  void rowsComeBackShuffledButEachExactlyOnce() {
    List<String> keys = IntStream.rangeClosed(1, 20).mapToObj(i -> "row-" + i).toList();
    BatchPredictionJob job =
        local.run("job-a", keys.stream().map(k -> InputLines.prompt(k, "q " + k)).toList());

    List<String> returned = new ArrayList<>();
    for (JsonNode row : local.outputRows(job)) {
      returned.add(row.path("key").asText());
      assertThat(row.at("/response/candidates/0/content/parts/0/text").asText())
          .isEqualTo("echo: q " + row.path("key").asText());
    }

    assertThat(returned).containsExactlyInAnyOrderElementsOf(keys).isNotEqualTo(keys);
  }

  @Test
  void aJobLargerThanAShuffleWindowLosesNoRows() {
    int rows = RowShuffler.WINDOW + 10;
    List<String> lines =
        IntStream.rangeClosed(1, rows)
            .mapToObj(i -> InputLines.prompt("row-" + i, "q" + i))
            .toList();

    BatchPredictionJob job = local.run("job-a", lines);

    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(rows);
    assertThat(local.outputRows(job))
        .extracting(row -> row.path("key").asText())
        .doesNotHaveDuplicates()
        .hasSize(rows);
  }

  @Test
  void aLineThatIsNotJsonFailsOnlyItsRow() {
    BatchPredictionJob job =
        local.run("job-a", List.of(InputLines.prompt("k1", "fine"), "{not json", "[1,2]"));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(1);
    assertThat(job.getCompletionStats().getFailedCount()).isEqualTo(2);
    List<JsonNode> failed =
        local.outputRows(job).stream()
            .filter(row -> !row.path("status").asText().isEmpty())
            .toList();
    assertThat(failed)
        .hasSize(2)
        .allSatisfy(
            row -> {
              assertThat(row.path("status").asText())
                  .startsWith("Bad Request: {\"error\": {\"code\": 400, \"message\": ");
              assertThat(
                      LocalVertex.parse(
                              row.path("status").asText().substring("Bad Request: ".length()))
                          .at("/error/status")
                          .asText())
                  .isEqualTo("INVALID_ARGUMENT");
              assertThat(row.has("response")).isFalse();
            });
  }

  @Test
  void aLineWithoutRequestOrContentsFailsWithItsKeyEchoed() {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(
                "{\"key\":\"no-request\",\"prompt\":\"hi\"}",
                "{\"key\":\"no-contents\",\"request\":{\"contents\":[]}}"));

    assertThat(local.outputRows(job))
        .hasSize(2)
        .allSatisfy(
            row -> {
              assertThat(row.path("key").asText()).startsWith("no-");
              assertThat(row.path("status").asText()).startsWith("Bad Request: ");
              assertThat(row.has("response")).isFalse();
            });
  }

  @Test
  void blankLinesAndAByteOrderMarkAreTolerated() {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(
                "\uFEFF" + InputLines.prompt("k1", "a"), "", "   ", InputLines.prompt("k2", "b")));

    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(2);
    assertThat(job.getCompletionStats().getFailedCount()).isZero();
  }

  @Test
  void aTrailingWildcardReadsEveryMatchingObject() {
    local.upload("input/part-1.jsonl", List.of(InputLines.prompt("k1", "a")));
    local.upload(
        "input/part-2.jsonl", List.of(InputLines.prompt("k2", "b"), InputLines.prompt("k3", "c")));
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a", "gs://work/input/part-*", "gs://work/output/job-a/")
                .build());

    BatchPredictionJob job = local.client.getBatchPredictionJob(created.getName());

    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(3);
    assertThat(job.getOutputInfo().getGcsOutputDirectory())
        .startsWith("gs://work/output/job-a/prediction-model-");
  }

  @Test
  void aMissingInputObjectFailsTheJobAtImport() {
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a", "gs://work/input/nothing.jsonl", "gs://work/output/job-a")
                .build());

    BatchPredictionJob job = local.client.getBatchPredictionJob(created.getName());

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(3);
    assertThat(job.getError().getMessage())
        .startsWith("Failed to import data.")
        .contains("gs://work/input/nothing.jsonl");
    assertThat(job.hasOutputInfo()).isFalse();
    assertThat(job.hasCompletionStats()).isFalse();
  }

  @Test
  void aMissingOutputBucketFailsTheJobWithFailedPrecondition() {
    String input = local.upload("input/job-a.jsonl", List.of(InputLines.prompt("k1", "a")));
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a", input, "gs://no-such-bucket/out").build());

    BatchPredictionJob job = local.client.getBatchPredictionJob(created.getName());

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(9);
    assertThat(job.getError().getMessage()).contains("no-such-bucket");
  }

  @Test
  void anOutputPrefixAtTheBucketRootWorks() {
    local.storage.create(BucketInfo.of("out"));
    String input = local.upload("input/job-a.jsonl", List.of(InputLines.prompt("k1", "a")));
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT, JobRequests.gemini("job-a", input, "gs://out").build());

    BatchPredictionJob job = local.client.getBatchPredictionJob(created.getName());

    assertThat(job.getOutputInfo().getGcsOutputDirectory())
        .startsWith("gs://out/prediction-model-");
  }

  private static long ceilQuarter(long chars) {
    return (chars + 3) / 4;
  }
}
