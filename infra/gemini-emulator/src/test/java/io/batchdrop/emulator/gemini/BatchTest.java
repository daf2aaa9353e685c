package io.batchdrop.emulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.errors.ApiException;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.CreateEmbeddingsBatchJobConfig;
import com.google.genai.types.EmbeddingsBatchJobSource;
import com.google.genai.types.FileState;
import com.google.genai.types.JobState;
import com.google.genai.types.ListBatchJobsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Batch mode through the official SDK: lifecycle, output lines, markers, knobs, expiry. */
class BatchTest {

  @RegisterExtension static final FreshGemini GEMINI = new FreshGemini();

  private final LocalGemini local = GEMINI.local();

  @Test
  void aBatchMovesPendingRunningSucceededAsItsClockAdvances() {
    local.emulator.knobs().delays(Duration.ofMinutes(5), Duration.ofMinutes(10));
    BatchJob created = local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("k1", "hi")));
    String name = created.name().orElseThrow();

    JobState.Known pending = state(name);
    local.clock.advance(Duration.ofMinutes(5));
    JobState.Known running = state(name);
    local.clock.advance(Duration.ofMinutes(10));
    BatchJob done = local.client.batches.get(name, null);

    assertThat(name).matches("batches/[a-z0-9]{40}");
    assertThat(created.displayName()).contains("r1-s1-a1");
    assertThat(created.model()).contains("models/gemini-2.5-flash");
    assertThat(pending).isEqualTo(JobState.Known.JOB_STATE_PENDING);
    assertThat(running).isEqualTo(JobState.Known.JOB_STATE_RUNNING);
    assertThat(done.state().orElseThrow().knownEnum())
        .isEqualTo(JobState.Known.JOB_STATE_SUCCEEDED);
    assertThat(done.dest().orElseThrow().fileName())
        .contains("files/batch-" + name.substring("batches/".length()));
    assertThat(done.endTime().orElseThrow())
        .isEqualTo(done.createTime().orElseThrow().plus(Duration.ofMinutes(15)));
  }

  @Test
  void theOperationCarriesStateStatsAndResponsesFileInTheRealShape() {
    String name =
        local
            .createBatch(
                "r1-s1-a1",
                List.of(
                    LocalGemini.prompt("a", "one"),
                    LocalGemini.prompt("b", "two [vertex:fail-400]"),
                    LocalGemini.prompt("c", "three")))
            .name()
            .orElseThrow();

    JsonNode operation = local.rawJson("GET", "/v1beta/" + name);

    assertThat(operation.path("done").asBoolean()).isTrue();
    JsonNode metadata = operation.path("metadata");
    assertThat(metadata.path("state").asText()).isEqualTo("BATCH_STATE_SUCCEEDED");
    assertThat(metadata.at("/batchStats/requestCount").isTextual()).isTrue();
    assertThat(metadata.at("/batchStats/requestCount").asText()).isEqualTo("3");
    assertThat(metadata.at("/batchStats/successfulRequestCount").asText()).isEqualTo("2");
    assertThat(metadata.at("/batchStats/failedRequestCount").asText()).isEqualTo("1");
    assertThat(metadata.at("/batchStats").has("pendingRequestCount")).isFalse();
    assertThat(metadata.at("/output/responsesFile").asText()).startsWith("files/batch-");
    assertThat(operation.at("/response/responsesFile"))
        .isEqualTo(metadata.at("/output/responsesFile"));
  }

  @Test
  void responseLinesComeInInputOrderWithKeysResponsesAndErrors() {
    BatchJob done =
        finished(
            local.createBatch(
                "r1-s1-a1",
                List.of(
                    LocalGemini.prompt("a", "one"),
                    LocalGemini.prompt("gone", "x [vertex:missing]"),
                    LocalGemini.prompt("bad", "two [vertex:fail-400]"),
                    LocalGemini.prompt("c", "three"))));

    List<JsonNode> lines = local.responseLines(done.dest().orElseThrow().fileName().orElseThrow());

    assertThat(lines).extracting(l -> l.path("key").asText()).containsExactly("a", "bad", "c");
    assertThat(lines.get(0).at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: one");
    assertThat(lines.get(0).at("/response/usageMetadata/totalTokenCount").asLong()).isPositive();
    assertThat(lines.get(1).has("response")).isFalse();
    assertThat(lines.get(1).at("/error/code").asInt())
        .as("a google.rpc.Status: INVALID_ARGUMENT's google.rpc.Code, not HTTP 400")
        .isEqualTo(3);
    assertThat(lines.get(1).path("error").has("status")).isFalse();
  }

  @Test
  void aFail429OnceRowFailsInTheFirstAttemptOnly() {
    List<String> input = List.of(LocalGemini.prompt("flaky", "q [vertex:fail-429-once]"));

    JsonNode first = onlyLine(finished(local.createBatch("r1-s1-a1", input)));
    JsonNode second = onlyLine(finished(local.createBatch("r1-s1-a2", input)));

    assertThat(first.at("/error/code").asInt()).as("RESOURCE_EXHAUSTED").isEqualTo(8);
    assertThat(second.has("error")).isFalse();
    assertThat(second.at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: q [vertex:fail-429-once]");
  }

  @Test
  void aFileWithABadLineIsRefusedAtCreate() {
    assertThatThrownBy(
            () ->
                local.createBatch(
                    "r1-s1-a1", List.of(LocalGemini.prompt("a", "ok"), "{\"key\":\"b\"}")))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.message()).contains("line 2");
            });
    assertThat(local.client.batches.list(null)).isEmpty();
  }

  @Test
  void anUnknownModelIsNotFound() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "ok")));

    assertThatThrownBy(
            () ->
                local.client.batches.create(
                    "gemini-9-imaginary-embedding",
                    com.google.genai.types.BatchJobSource.builder().fileName(file).build(),
                    null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void batchesAreListedNewestFirstInPagesAndFoundByDisplayName() {
    local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1")));
    local.createBatch("r1-s2-a1", List.of(LocalGemini.prompt("a", "2")));
    local.createBatch("r1-s3-a1", List.of(LocalGemini.prompt("a", "3")));

    List<String> names = new ArrayList<>();
    for (BatchJob job :
        local.client.batches.list(ListBatchJobsConfig.builder().pageSize(2).build())) {
      names.add(job.displayName().orElseThrow());
    }

    assertThat(names).containsExactly("r1-s3-a1", "r1-s2-a1", "r1-s1-a1");
  }

  @Test
  void cancelStopsAPendingBatchAndIsRefusedOnceItIsDone() {
    local.emulator.knobs().delays(Duration.ofHours(1), Duration.ofHours(1));
    String name =
        local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))).name().orElseThrow();

    local.client.batches.cancel(name, null);
    BatchJob cancelled = local.client.batches.get(name, null);

    assertThat(cancelled.state().orElseThrow().knownEnum())
        .isEqualTo(JobState.Known.JOB_STATE_CANCELLED);
    assertThat(cancelled.dest()).isEmpty();
    // The SDK's cancel does not read its answer, so a refusal shows only on the wire.
    local.client.batches.cancel(name, null);
    java.net.http.HttpResponse<String> again =
        local.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(local.emulator.baseUri() + "/v1beta/" + name + ":cancel"))
                .header("x-goog-api-key", LocalGemini.KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(LocalGemini.parse(again.body()).at("/error/status").asText())
        .isEqualTo("FAILED_PRECONDITION");
  }

  @Test
  void aDeletedBatchIsNotFound() {
    String name =
        local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))).name().orElseThrow();

    local.client.batches.delete(name, null);

    assertThatThrownBy(() -> local.client.batches.get(name, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(404));
  }

  @Test
  void aBatchNotDoneWithinItsExpiryEndsExpiredWithoutOutput() {
    local
        .emulator
        .knobs()
        .delays(Duration.ofHours(1), Duration.ofHours(1))
        .batchExpiry(Duration.ofMinutes(90));
    String name =
        local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))).name().orElseThrow();

    local.clock.advance(Duration.ofMinutes(90));
    JsonNode operation = local.rawJson("GET", "/v1beta/" + name);

    assertThat(operation.at("/metadata/state").asText()).isEqualTo("BATCH_STATE_EXPIRED");
    assertThat(operation.at("/metadata/output").isMissingNode()).isTrue();
    assertThat(operation.at("/metadata/batchStats/pendingRequestCount").asText()).isEqualTo("1");
    assertThat(state(name)).isEqualTo(JobState.Known.JOB_STATE_EXPIRED);
  }

  @Test
  void filesIncludingTheResponsesFileAreDeletedAfterTheirLifetime() {
    local.emulator.knobs().fileLifetime(Duration.ofHours(2));
    BatchJob done = finished(local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))));
    String responses = done.dest().orElseThrow().fileName().orElseThrow();

    local.clock.advance(Duration.ofMinutes(119));
    assertThat(local.client.files.get(responses, null).name()).contains(responses);
    local.clock.advance(Duration.ofMinutes(1));

    assertThatThrownBy(() -> local.client.files.get(responses, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(403));
    assertThat(local.client.files.list(null)).isEmpty();
  }

  @Test
  void plannedCreateFailuresAnswerWithTheirCodeAndMakeNoBatch() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    local.emulator.knobs().failNextCreates(1, 429);

    assertThatThrownBy(
            () ->
                local.client.batches.create(
                    LocalGemini.MODEL,
                    com.google.genai.types.BatchJobSource.builder().fileName(file).build(),
                    null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(429);
              assertThat(e.status()).isEqualTo("RESOURCE_EXHAUSTED");
            });
    assertThat(local.client.batches.list(null)).isEmpty();
  }

  @Test
  void aWithheldCreateAnswerDropsTheConnectionAfterTheBatchIsMade() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    local.emulator.knobs().withholdNextCreateAnswers(1);

    java.net.http.HttpRequest create =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(
                    local.emulator.baseUri()
                        + "/v1beta/models/gemini-2.5-flash:batchGenerateContent"))
            .header("x-goog-api-key", LocalGemini.KEY)
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"batch\":{\"displayName\":\"r1-s1-a1\",\"inputConfig\":{\"fileName\":\""
                        + file
                        + "\"}}}"))
            .build();

    assertThatThrownBy(() -> local.send(create)).hasCauseInstanceOf(java.io.IOException.class);
    assertThat(local.client.batches.list(null))
        .extracting(job -> job.displayName().orElseThrow())
        .containsExactly("r1-s1-a1");
  }

  @Test
  void theSdkSilentlyResendsACreateWhoseAnswerWasLostAndMakesTwoBatches() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    local.emulator.knobs().withholdNextCreateAnswers(1);

    // OkHttp retries a request whose connection closed without an answer, even a POST: the
    // caller sees success, and the service has two batches with one display name.
    BatchJob answered =
        local.client.batches.create(
            LocalGemini.MODEL,
            com.google.genai.types.BatchJobSource.builder().fileName(file).build(),
            com.google.genai.types.CreateBatchJobConfig.builder().displayName("r1-s1-a1").build());

    assertThat(answered.name()).isPresent();
    assertThat(local.client.batches.list(null))
        .extracting(job -> job.displayName().orElseThrow())
        .containsExactly("r1-s1-a1", "r1-s1-a1");
  }

  @Test
  void plannedGetFailuresAnswerWithTheirCode() {
    String name =
        local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))).name().orElseThrow();
    local.emulator.knobs().failNextGets(1, 503);

    assertThatThrownBy(() -> local.client.batches.get(name, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(503));
    assertThat(state(name)).isEqualTo(JobState.Known.JOB_STATE_SUCCEEDED);
  }

  @Test
  void aWithheldResponsesFileLeavesASucceededBatchWithoutOutputForThatManyGets() {
    String name =
        local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1"))).name().orElseThrow();
    local.emulator.knobs().withholdResponsesFileFromNextGets(1);

    JsonNode early = local.rawJson("GET", "/v1beta/" + name);
    JsonNode later = local.rawJson("GET", "/v1beta/" + name);

    assertThat(early.at("/metadata/state").asText()).isEqualTo("BATCH_STATE_SUCCEEDED");
    assertThat(early.path("metadata").has("output")).isFalse();
    assertThat(early.has("response")).isFalse();
    assertThat(later.at("/metadata/output/responsesFile").asText()).startsWith("files/batch-");
    assertThat(later.at("/response/responsesFile").asText()).startsWith("files/batch-");
  }

  @Test
  void aBatchFromAFileStillProcessingIsRefusedUntilAGetSeesTheFileActive() {
    local.emulator.knobs().processNextUploads(1, 1);
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    BatchJobSource source = BatchJobSource.builder().fileName(file).build();
    CreateBatchJobConfig config = CreateBatchJobConfig.builder().displayName("r1-s1-a1").build();

    assertThatThrownBy(() -> local.client.batches.create(LocalGemini.MODEL, source, config))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(400);
              assertThat(e.status()).isEqualTo("FAILED_PRECONDITION");
              assertThat(e.message()).contains("is not in an ACTIVE state");
            });
    assertThat(local.client.files.get(file, null).state().orElseThrow().knownEnum())
        .isEqualTo(FileState.Known.PROCESSING);
    assertThat(local.client.files.get(file, null).state().orElseThrow().knownEnum())
        .isEqualTo(FileState.Known.ACTIVE);
    assertThat(local.client.batches.create(LocalGemini.MODEL, source, config).name()).isPresent();
    assertThat(local.upload(List.of(LocalGemini.prompt("b", "2"))))
        .as("only the next upload was planned to process")
        .satisfies(
            next ->
                assertThat(local.client.files.get(next, null).state().orElseThrow().knownEnum())
                    .isEqualTo(FileState.Known.ACTIVE));
  }

  @Test
  void aFileHeldProcessingIsAwaitedAndTurnsActiveWhenItsProcessingIsFinished() throws Exception {
    local.emulator.knobs().processNextUploads(1, Integer.MAX_VALUE);
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    local.emulator.awaitProcessing(1, Duration.ofSeconds(5));
    assertThat(local.client.files.get(file, null).state().orElseThrow().knownEnum())
        .isEqualTo(FileState.Known.PROCESSING);

    local.emulator.finishProcessing();

    assertThat(local.client.files.get(file, null).state().orElseThrow().knownEnum())
        .isEqualTo(FileState.Known.ACTIVE);
    assertThatThrownBy(() -> local.emulator.awaitProcessing(1, Duration.ofMillis(50)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aFileDeletedThroughTheSdkIsGoneAndASecondDeleteIsRefusedAsTheRealApiRefusesAMissingFile() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));

    local.client.files.delete(file, null);

    assertThat(local.client.files.list(null)).isEmpty();
    assertThatThrownBy(() -> local.client.files.delete(file, null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(403);
              assertThat(e.status()).isEqualTo("PERMISSION_DENIED");
              assertThat(e.message()).contains("or it may not exist");
            });
  }

  @Test
  void aPlannedDeleteFailureKeepsTheFile() {
    String file = local.upload(List.of(LocalGemini.prompt("a", "1")));
    local.emulator.knobs().failNextFileDeletes(1, 503);

    assertThatThrownBy(() -> local.client.files.delete(file, null))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(503));
    assertThat(local.client.files.get(file, null).name()).contains(file);
  }

  @Test
  void batchesCreatedCountsABatchThatWasDeletedSince() {
    BatchJob batch = local.createBatch("r1-s1-a1", List.of(LocalGemini.prompt("a", "1")));
    local.client.batches.delete(batch.name().orElseThrow(), null);

    assertThat(local.emulator.batchesCreated()).isEqualTo(1);
    local.emulator.reset();
    assertThat(local.emulator.batchesCreated()).isZero();
  }

  @Test
  void anEmbeddingsBatchAnswersUnitVectorsOfTheAskedSize() {
    String file =
        local.upload(
            List.of(
                "{\"key\":\"e1\",\"request\":{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":8}}",
                "{\"key\":\"e2\",\"request\":{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":8}}"));

    BatchJob created =
        local.client.batches.createEmbeddings(
            "gemini-embedding-001",
            EmbeddingsBatchJobSource.builder().fileName(file).build(),
            CreateEmbeddingsBatchJobConfig.builder().displayName("r1-s1-a1").build());
    BatchJob done = finished(created);
    List<JsonNode> lines = local.responseLines(done.dest().orElseThrow().fileName().orElseThrow());

    JsonNode values = lines.get(0).at("/response/embedding/values");
    assertThat(values.size()).isEqualTo(8);
    double norm = 0;
    for (JsonNode value : values) {
      norm += value.asDouble() * value.asDouble();
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(lines.get(1).at("/response/embedding/values")).isEqualTo(values);
    assertThat(
            local
                .rawJson("GET", "/v1beta/" + done.name().orElseThrow())
                .at("/metadata/@type")
                .asText())
        .endsWith("EmbedContentBatch");
  }

  private JobState.Known state(String name) {
    return local.client.batches.get(name, null).state().orElseThrow().knownEnum();
  }

  /** With zero delays a batch is done at its first read after create. */
  private BatchJob finished(BatchJob created) {
    BatchJob job = local.client.batches.get(created.name().orElseThrow(), null);
    assertThat(job.state().orElseThrow().knownEnum()).isEqualTo(JobState.Known.JOB_STATE_SUCCEEDED);
    return job;
  }

  private JsonNode onlyLine(BatchJob done) {
    List<JsonNode> lines = local.responseLines(done.dest().orElseThrow().fileName().orElseThrow());
    assertThat(lines).hasSize(1);
    return lines.get(0);
  }
}
