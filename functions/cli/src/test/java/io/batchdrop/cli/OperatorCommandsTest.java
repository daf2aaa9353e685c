package io.batchdrop.cli;

import static io.batchdrop.cli.OpsFixture.BAD_ROLE;
import static io.batchdrop.cli.OpsFixture.keyed;
import static io.batchdrop.cli.OpsFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@LocalCloudTest
class OperatorCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  @Fixture private OpsFixture fx;

  @Test
  void cancelOfAGeminiApiRunCancelsItsBatchThroughTheGeminiApi() throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
    fx.cloud.geminiEmulator().knobs().delays(Duration.ZERO, Duration.ofMinutes(10));
    Blob blob =
        fx.cloud
            .storage()
            .create(
                com.google.cloud.storage.BlobInfo.newBuilder(
                        LocalDeployment.INBOX, OpsFixture.PREFIX + "gemini-cancel.jsonl")
                    .setMetadata(Map.of("batchdrop-backend", "gemini-api"))
                    .build(),
                (line("one") + line("two")).getBytes(StandardCharsets.UTF_8));
    fx.deliver(blob);
    RunId run = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    String batch = fx.jobs(run).get(0).getString(JobDoc.VERTEX_NAME);
    assertThat(batch).startsWith("batches/");

    OpsFixture.Result cancel = fx.cli("cancel", run.value());

    assertThat(cancel.code()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains("cancel sent");
    assertThat(fx.jobs(run).get(0).get(JobDoc.CANCEL_REQUESTED_AT)).isNotNull();
    assertThat(geminiBatchState(batch)).isEqualTo("BATCH_STATE_CANCELLED");
  }

  private String geminiBatchState(String batch) throws Exception {
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            fx.cloud.geminiEmulator().baseUri() + "/v1beta/" + batch))
                    .header("x-goog-api-key", io.batchdrop.testing.LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(answer.body()).at("/metadata/state").asText();
  }

  @Test
  void submitUploadsToTheInboxWithTheMetadataAndPrintsTheRunIdSubmitComputes() throws Exception {
    Path file = write("greetings.jsonl", line("Say hello") + line("Say goodbye"));

    OpsFixture.Result result =
        fx.cli("submit", file.toString(), "--model", "gemini-2.5-flash", "--policy", "strict");

    assertThat(result.code()).as(result.err()).isZero();
    Blob blob =
        fx.cloud.storage().get(LocalDeployment.INBOX, OpsFixture.PREFIX + "greetings.jsonl");
    assertThat(blob.getMetadata())
        .containsEntry("batchdrop-model", "gemini-2.5-flash")
        .containsEntry("batchdrop-policy", "strict");
    RunId expected = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    assertThat(result.out()).contains("run " + expected);

    fx.deliver(blob);
    assertThat(fx.run(expected).exists()).as("submit made the run the command named").isTrue();
  }

  @Test
  void aFileSubmitWouldRejectIsNotUploadedAndExits1() throws Exception {
    Path file = write("bad.jsonl", line("fine") + BAD_ROLE);

    OpsFixture.Result result = fx.cli("submit", file.toString(), "--policy", "strict");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).contains("role-invalid").contains("not uploaded");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void submitJudgesAFileByTheRulesOfTheDeploymentsBackendAndModelAsTheSubmitFunctionDoes()
      throws Exception {
    fx.configure(
        Map.of(
            "BATCHDROP_BACKEND", "gemini-api",
            "BATCHDROP_ALLOWED_BACKENDS", "gemini-api",
            "BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash,gemini-embedding-001"));
    // The Gemini API's documented way to enable search: an empty object Vertex's importer refuses.
    Path search =
        write(
            "search.jsonl",
            "{\"request\": {\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\":"
                + " \"news\"}]}], \"tools\": [{\"google_search\": {}}]}}\n");
    // A Cloud Storage URI, which the Gemini API cannot read.
    Path bucketMedia =
        write(
            "bucket-media.jsonl",
            "{\"request\": {\"contents\": [{\"role\": \"user\", \"parts\": [{\"fileData\":"
                + " {\"mimeType\": \"image/png\", \"fileUri\": \"gs://media/a.png\"}}]}]}}\n");
    // Embedding requests, for an embedding model.
    Path embeddings =
        write(
            "embeddings.jsonl",
            "{\"request\": {\"content\": {\"parts\": [{\"text\": \"embed me\"}]}}}\n");

    OpsFixture.Result searchResult = fx.cli("submit", search.toString(), "--policy", "strict");
    OpsFixture.Result mediaResult = fx.cli("submit", bucketMedia.toString(), "--policy", "strict");
    OpsFixture.Result embedResult =
        fx.cli(
            "submit",
            embeddings.toString(),
            "--policy",
            "strict",
            "--model",
            "gemini-embedding-001");

    assertThat(searchResult.code()).as(searchResult.out() + searchResult.err()).isZero();
    assertThat(embedResult.code()).as(embedResult.out() + embedResult.err()).isZero();
    assertThat(mediaResult.code()).as(mediaResult.out() + mediaResult.err()).isEqualTo(1);
    assertThat(mediaResult.out()).contains("file-uri-invalid").contains("not uploaded");
    for (String name : List.of("search.jsonl", "embeddings.jsonl")) {
      Blob blob = fx.cloud.storage().get(LocalDeployment.INBOX, OpsFixture.PREFIX + name);
      fx.deliver(blob);
      DocumentSnapshot run =
          fx.run(RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration()));
      assertThat(run.getString(RunDoc.STATE)).as(name).isNotEqualTo("REJECTED");
    }
    assertThat(
            fx.cloud.storage().get(LocalDeployment.INBOX, OpsFixture.PREFIX + "bucket-media.jsonl"))
        .isNull();
  }

  @Test
  void anEmptyFileIsNotUploaded() throws Exception {
    Path file = write("empty.jsonl", "");

    OpsFixture.Result result = fx.cli("submit", file.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).contains("not uploaded");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void aFileOverTheDeploymentsSizeLimitIsNotReadNorUploaded() throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_FILE_BYTES", "100"));
    Path file = write("big.jsonl", line("x".repeat(200)));

    OpsFixture.Result result = fx.cli("submit", file.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "batchdrop: "
                + file
                + " is 265 bytes; submit rejects files over 100 bytes (BATCHDROP_MAX_FILE_BYTES);"
                + " nothing uploaded\n");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void aNameOverCloudStoragesObjectNameLimitIsRefusedBeforeTheFileIsReadOrUploaded()
      throws Exception {
    // 400 characters but 1,200 bytes of UTF-8: Cloud Storage counts a name in bytes (1,024 at
    // most).
    String name = "日".repeat(400);
    Path file = write("long-name.jsonl", line("Say hello"));

    OpsFixture.Result result = fx.cli("submit", file.toString(), "--name", name);

    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.out()).as("no validation report: the file was not read").isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "batchdrop: the object name "
                + (OpsFixture.PREFIX + name).substring(0, 48)
                + "… is 1,209 bytes of UTF-8; Cloud Storage takes at most 1,024"
                + " (BATCHDROP_INBOX_PREFIX and --name or the file's name); nothing uploaded\n");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void aNameNotEndingInJsonlIsRefusedSinceSubmitWouldIgnoreTheObjectAndWaitingWouldNeverEnd()
      throws Exception {
    Path file = write("requests.json", line("Say hello"));

    for (List<String> args :
        List.of(
            List.of("submit", file.toString(), "--wait", "--timeout", "5"),
            List.of(
                "submit", write("ok.jsonl", line("Say hello")).toString(), "--name", "x.txt"))) {
      OpsFixture.Result result = fx.cli(args.toArray(String[]::new));

      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(result.err())
          .as(String.join(" ", args))
          .startsWith("batchdrop: the object name " + OpsFixture.PREFIX)
          .endsWith(
              " does not end in .jsonl, and submit takes only *.jsonl uploads (pass --name"
                  + " NAME.jsonl); nothing uploaded\n");
    }
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void aModelOverCloudStoragesMetadataLimitIsRefusedBeforeTheFileIsReadOrUploaded()
      throws Exception {
    Path file = write("long-model.jsonl", line("Say hello"));

    OpsFixture.Result result = fx.cli("submit", file.toString(), "--model", "m".repeat(9000));

    assertThat(result.code()).as(result.err()).isEqualTo(1);
    assertThat(result.out()).as("no validation report: the file was not read").isEmpty();
    assertThat(result.err())
        .isEqualTo(
            "batchdrop: the object's metadata (--model, --policy) is 9,015 bytes of UTF-8; Cloud"
                + " Storage takes at most 8,192; nothing uploaded\n");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void submitWaitOnAFileWithFailuresFollowsTheRunToItsEndAndExits1() throws Exception {
    Path file =
        write(
            "mixed.jsonl",
            keyed("greeting", "Say hello") + line("[vertex:fail-400] a bad row") + BAD_ROLE);

    CompletableFuture<OpsFixture.Result> waiting =
        CompletableFuture.supplyAsync(
            () -> fx.cli("submit", file.toString(), "--wait", "--interval", "0.1"));
    Blob uploaded = fx.awaitUpload("mixed.jsonl");
    fx.deliver(uploaded);
    RunId run = RunId.of(uploaded.getBucket(), uploaded.getName(), uploaded.getGeneration());
    fx.publishUntilClosed(run);
    OpsFixture.Result result = waiting.get(60, TimeUnit.SECONDS);

    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("run " + run)
        .contains("PARTIAL")
        .contains("succeeded 1, failed 1, invalid 1, missing 0")
        .contains("run ended PARTIAL: 2 of 3 rows did not succeed");
  }

  @Test
  void submitWaitExits0WhenEveryRowSucceeded() throws Exception {
    Path file = write("good.jsonl", line("Say hello") + line("Say goodbye"));

    CompletableFuture<OpsFixture.Result> waiting =
        CompletableFuture.supplyAsync(
            () -> fx.cli("submit", file.toString(), "--wait", "--json", "--interval", "0.1"));
    Blob uploaded = fx.awaitUpload("good.jsonl");
    fx.deliver(uploaded);
    fx.publishUntilClosed(
        RunId.of(uploaded.getBucket(), uploaded.getName(), uploaded.getGeneration()));
    OpsFixture.Result result = waiting.get(60, TimeUnit.SECONDS);

    assertThat(result.code()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertThat(last.path("run").path("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(last.path("run").path("counts").path("succeeded").asLong()).isEqualTo(2);
  }

  @Test
  void runsListsTheRecentRunsNewestFirstAndFiltersByState() throws Exception {
    RunId first = fx.submit("one.jsonl", line("a"));
    fx.publishUntilClosed(first);
    RunId second = fx.submit("two.jsonl", line("b") + line("c"));

    OpsFixture.Result all = fx.cli("runs");
    OpsFixture.Result succeeded = fx.cli("runs", "--state", "succeeded", "--json");

    assertThat(all.code()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0)).startsWith("RUN").contains("OK/FAILED/INVALID/MISSING");
    assertThat(lines.get(1)).startsWith(second.value()).contains("SUBMITTED").contains("two.jsonl");
    assertThat(lines.get(2))
        .startsWith(first.value())
        .contains("SUCCEEDED")
        .contains("1/0/0/0")
        .contains("gs://batchdrop-inbox/incoming/one.jsonl");
    JsonNode runs = JSON.readTree(succeeded.out()).path("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("runId").asText()).isEqualTo(first.value());
    assertThat(fx.cli("runs", "--limit", "1").out().lines()).hasSize(2);
  }

  @Test
  void statusShowsTheRunAndEachJobWithProgressCountsAndCost() throws Exception {
    RunId run =
        fx.submit("mixed.jsonl", line("Say hello") + line("[vertex:fail-400] bad") + BAD_ROLE);
    fx.publishUntilClosed(run);

    OpsFixture.Result text = fx.cli("status", run.value());
    OpsFixture.Result json = fx.cli("status", run.value(), "--json");

    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("run " + run + "  PARTIAL  gs://batchdrop-inbox/incoming/mixed.jsonl")
        .contains("rows 3 (valid 2, invalid 1); published 3: succeeded 1, failed 1, invalid 1")
        .contains("job " + run + "-s1-a1  JOB_STATE_SUCCEEDED  100% 2/2 rows (1 failed)")
        .doesNotContain("\u001b[")
        .doesNotContain("[####");
    JsonNode status = JSON.readTree(json.out());
    assertThat(status.path("run").path("state").asText()).isEqualTo("PARTIAL");
    assertThat(status.path("published").asLong()).isEqualTo(3);
    assertThat(status.path("tokens").asLong()).isPositive();
    assertThat(status.path("costUsd").decimalValue()).isPositive();
    JsonNode job = status.path("jobs").get(0);
    assertThat(job.path("completionStats").path("failedCount").asLong()).isEqualTo(1);
    assertThat(job.path("published").asLong()).isEqualTo(2);
  }

  @Test
  void statusWatchRefreshesUntilTheRunEnds() throws Exception {
    RunId run = fx.submit("one.jsonl", line("Say hello"));

    CompletableFuture<OpsFixture.Result> watching =
        CompletableFuture.supplyAsync(
            () -> fx.cli("status", run.value(), "--watch", "--interval", "0.1"));
    fx.publishUntilClosed(run);
    OpsFixture.Result result = watching.get(60, TimeUnit.SECONDS);

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("SUBMITTED").contains("SUCCEEDED");
  }

  @Test
  void cancelOfARunningRunCancelsItsJobsAndItsUnfinishedRowsComeOutMissing() throws Exception {
    fx.cloud.vertexEmulator().knobs().delays(Duration.ZERO, Duration.ofMinutes(10));
    RunId run = fx.submit("slow.jsonl", line("one") + line("two") + line("three"));
    String vertexName = fx.jobs(run).get(0).getString(JobDoc.VERTEX_NAME);
    awaitState(vertexName, JobState.JOB_STATE_RUNNING);
    fx.observeJobs(run);

    OpsFixture.Result cancel = fx.cli("cancel", run.value());
    OpsFixture.Result again = fx.cli("cancel", run.value(), "--json");

    assertThat(cancel.code()).as(cancel.err()).isZero();
    assertThat(cancel.out())
        .contains("cancel requested for run " + run)
        .contains(run + "-s1-a1  JOB_STATE_RUNNING  cancel sent");
    assertThat(again.code()).isZero();
    assertThat(JSON.readTree(again.out()).path("alreadyRequested").asBoolean()).isTrue();
    DocumentSnapshot doc = fx.run(run);
    assertThat(doc.get(RunDoc.CANCEL_REQUESTED_AT)).isNotNull();

    fx.publishUntilClosed(run);
    assertThat(fx.run(run).getString(RunDoc.STATE)).isEqualTo("CANCELLED");
    List<PubsubMessage> results = fx.results(3);
    assertThat(results).hasSize(3);
    for (PubsubMessage message : results) {
      if (message.getAttributesOrThrow("status").equals("missing")) {
        assertThat(data(message).path("error").path("code").asText()).isEqualTo("cancelled");
      } else {
        assertThat(message.getAttributesOrThrow("status")).isEqualTo("succeeded");
      }
    }
    assertThat(fx.jobs(run)).as("no retry attempt after a cancel").hasSize(1);
    OpsFixture.Result afterEnd = fx.cli("cancel", run.value());
    assertThat(afterEnd.code()).isZero();
    assertThat(afterEnd.out()).contains("already ended CANCELLED; nothing to cancel");
  }

  @Test
  void replayPublishesMessagesEqualToTheOriginalsWithTheSameDedupIds() throws Exception {
    String file =
        keyed("greeting", "Say hello")
            + line("[vertex:fail-400] refused")
            + BAD_ROLE
            + line("[vertex:fail-429-once] retried once")
            + line("[vertex:missing] never answered")
            + line("[vertex:max-tokens] long");
    RunId run = fx.submit("mixed.jsonl", file);
    fx.publishUntilClosed(run);
    Map<String, PubsubMessage> originals = byDedupId(fx.results(6));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(originals).hasSize(6);

    OpsFixture.Result replay = fx.cli("replay", run.value());

    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(replay.out())
        .contains("replayed 6 messages of run " + run + " to topic results")
        .contains("succeeded 3, failed 1, invalid 1, missing 1");
    Map<String, PubsubMessage> replayed = byDedupId(fx.results(6));
    assertThat(replayed.keySet()).isEqualTo(originals.keySet());
    assertThat(replayed.keySet()).contains(run + "/4/2", run + "/5/3", run + "/3/0");
    for (var entry : originals.entrySet()) {
      PubsubMessage original = entry.getValue();
      PubsubMessage again = replayed.get(entry.getKey());
      assertThat(again.getAttributesMap()).isEqualTo(original.getAttributesMap());
      String status = original.getAttributesOrThrow("status");
      if (status.equals("succeeded") || status.equals("failed")) {
        assertThat(again.getData())
            .as("the data of " + entry.getKey())
            .isEqualTo(original.getData());
      } else {
        // publish stamped rows without output with its own clock; everything else is the same
        assertThat(withoutTime(again)).isEqualTo(withoutTime(original));
      }
    }
  }

  @Test
  void replayWithAStatusAndATopicSendsOnlyThoseRowsThere() throws Exception {
    fx.cloud.createTopic("late");
    fx.cloud.createSubscription("late", "late-sub");
    RunId run = fx.submit("mixed.jsonl", line("ok") + line("[vertex:fail-400] no") + BAD_ROLE);
    fx.publishUntilClosed(run);

    OpsFixture.Result replay =
        fx.cli("replay", run.value(), "--topic", "late", "--status", "failed,invalid", "--json");

    assertThat(replay.code()).as(replay.err()).isZero();
    assertThat(JSON.readTree(replay.out()).path("messages").asLong()).isEqualTo(2);
    List<PubsubMessage> late = fx.cloud.pull("late-sub", 2, OpsFixture.WAIT);
    assertThat(late.stream().map(m -> m.getAttributesOrThrow("status")).sorted().toList())
        .containsExactly("failed", "invalid");
  }

  @Test
  void replayOfARunWhoseStagedShardWentAfterItWasPublishedSaysWhyAndExits1() throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "1"));
    RunId run = fx.submit("gone.jsonl", line("ok") + line("[vertex:missing] never answered"));
    fx.publishUntilClosed(run);
    String input = fx.jobs(run).get(0).getString(io.batchdrop.cloud.jobs.JobDoc.INPUT_URI);
    String object = input.substring(input.indexOf('/', "gs://".length()) + 1);
    assertThat(fx.cloud.storage().delete("batchdrop-work", object)).isTrue();

    OpsFixture.Result replay = fx.cli("replay", run.value());

    assertThat(replay.code()).isEqualTo(1);
    assertThat(replay.err().strip())
        .startsWith("batchdrop: the staged input " + input)
        .contains("cannot be rebuilt")
        .doesNotContain("Exception");
  }

  @Test
  void replayAndResultsOfARunThatHasNotFinishedSayWhyAndExit1() throws Exception {
    RunId run = fx.submit("one.jsonl", line("Say hello"));

    OpsFixture.Result replay = fx.cli("replay", run.value());
    OpsFixture.Result results = fx.cli("results", run.value());

    assertThat(replay.code()).isEqualTo(1);
    assertThat(replay.err().strip())
        .isEqualTo(
            "batchdrop: run "
                + run
                + " is SUBMITTED and has not finished; replay needs a finished run (batchdrop"
                + " status "
                + run
                + " --watch waits for it)");
    assertThat(results.code()).isEqualTo(1);
  }

  @Test
  void resultsAndReplayOfARejectedRunSayItNeverRanAndWhyInsteadOfAskingToWaitForIt()
      throws Exception {
    RunId run = fx.submit("rejected.jsonl", BAD_ROLE);

    for (String command : List.of("results", "replay")) {
      OpsFixture.Result result = fx.cli(command, run.value());

      assertThat(result.code()).as(command).isEqualTo(1);
      assertThat(result.err().strip())
          .as(command)
          .isEqualTo(
              "batchdrop: run "
                  + run
                  + " was REJECTED (the file has no valid rows), so it never ran and "
                  + command
                  + " has no rows to give; batchdrop status "
                  + run
                  + " shows its findings");
    }
  }

  @Test
  void resultsWritesOneLinePerRowInInputOrder() throws Exception {
    String file =
        keyed("greeting", "Say hello")
            + BAD_ROLE
            + line("[vertex:fail-400] refused")
            + line("[vertex:missing] never answered")
            + line("fine");
    RunId run = fx.submit("mixed.jsonl", file);
    fx.publishUntilClosed(run);
    Path out = dir.resolve("results.jsonl");

    OpsFixture.Result result = fx.cli("results", run.value(), "--out", out.toString());

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.out()).contains("wrote 5 of 5 rows to " + out);
    List<JsonNode> rows = Files.readAllLines(out).stream().map(OperatorCommandsTest::json).toList();
    assertThat(rows.stream().map(r -> r.path("row").asLong()).toList())
        .containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(rows.stream().map(r -> r.path("status").asText()).toList())
        .containsExactly("succeeded", "invalid", "failed", "missing", "succeeded");
    assertThat(rows.get(0).path("key").asText()).isEqualTo("greeting");
    assertThat(fx.cli("results", run.value()).out().lines()).hasSize(5);
  }

  @Test
  void aRunIdThatIsNotThereIsOneLineAndExit1() {
    for (String command : List.of("status", "cancel", "replay", "results")) {
      OpsFixture.Result result = fx.cli(command, "0123456789abcdef0123");

      assertThat(result.code()).as(command).isEqualTo(1);
      assertThat(result.err())
          .as(command)
          .isEqualTo("batchdrop: no run 0123456789abcdef0123 in this deployment\n");
      assertThat(result.out()).as(command).isEmpty();
    }
  }

  @Test
  void aUsageErrorExits2WithTheUsage() {
    OpsFixture.Result noRun = fx.cli("status");
    OpsFixture.Result badRun = fx.cli("cancel", "not-a-run");
    OpsFixture.Result badLimit = fx.cli("runs", "--limit", "0");

    assertThat(noRun.code()).isEqualTo(2);
    assertThat(noRun.err())
        .startsWith("batchdrop: status needs a RUN\n")
        .contains("usage: batchdrop status RUN");
    assertThat(badRun.code()).isEqualTo(2);
    assertThat(badRun.err())
        .startsWith("batchdrop: RUN: \"not-a-run\" is not a run id; expected 20 hex digits")
        .contains("usage: batchdrop cancel RUN");
    assertThat(badLimit.code()).isEqualTo(2);
    assertThat(badLimit.err())
        .startsWith("batchdrop: --limit: \"0\" is not a whole number from 1 to 1000");
  }

  @Test
  void everyOperatorCommandHasHelp() {
    for (String command : List.of("submit", "runs", "status", "cancel", "replay", "results")) {
      OpsFixture.Result result = fx.cli(command, "--help");

      assertThat(result.code()).as(command).isZero();
      assertThat(result.out())
          .as(command)
          .contains("usage: batchdrop " + command)
          .contains("Exit codes:");
    }
  }

  @Test
  void runsAndStatusNeedNeitherBucket() throws Exception {
    RunId run = fx.submit("buckets.jsonl", line("ok"));
    Map<String, String> env = new HashMap<>(fx.environment());
    env.remove("BATCHDROP_INBOX_BUCKET");
    env.remove("BATCHDROP_WORK_BUCKET");

    for (String[] args : List.of(new String[] {"runs"}, new String[] {"status", run.value()})) {
      var out = new java.io.ByteArrayOutputStream();
      var err = new java.io.ByteArrayOutputStream();
      int code =
          Main.run(
              args,
              new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
              new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
              env);

      assertThat(code).as(args[0] + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).as(args[0]).contains(run.value());
    }
  }

  @Test
  void withoutAWorkBucketTheCommandSaysWhatToPass() {
    Map<String, String> env = new HashMap<>(fx.environment());
    env.remove("BATCHDROP_WORK_BUCKET");
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"results", "ffffffffffffffffffff"},
            new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
            new java.io.PrintStream(err, true, StandardCharsets.UTF_8),
            env);

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "batchdrop: no work bucket: pass --work-bucket, set BATCHDROP_WORK_BUCKET, or point"
                + " --terraform-dir at the deployment\n");
  }

  private void awaitState(String vertexName, JobState state) {
    java.time.Instant deadline = java.time.Instant.now().plus(OpsFixture.WAIT);
    while (fx.cloud.jobService().getBatchPredictionJob(vertexName).getState() != state) {
      if (java.time.Instant.now().isAfter(deadline)) {
        throw new AssertionError(vertexName + " never reached " + state);
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polls Vertex, as poll does
    }
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static Map<String, PubsubMessage> byDedupId(List<PubsubMessage> messages) {
    return messages.stream()
        .collect(Collectors.toMap(m -> m.getAttributesOrThrow("dedup_id"), m -> m, (a, b) -> a));
  }

  private static JsonNode data(PubsubMessage message) throws Exception {
    return JSON.readTree(message.getData().toByteArray());
  }

  private static JsonNode withoutTime(PubsubMessage message) throws Exception {
    ObjectNode data = (ObjectNode) data(message);
    assertThat(data.path("processedTime").asText()).isNotEmpty();
    data.remove("processedTime");
    return data;
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
