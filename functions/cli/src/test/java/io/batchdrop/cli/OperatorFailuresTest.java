package io.batchdrop.cli;

import static io.batchdrop.cli.OpsFixture.BAD_ROLE;
import static io.batchdrop.cli.OpsFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operator commands do when the run's files or the tool's settings are not all there. */
@LocalCloudTest
class OperatorFailuresTest {
  @TempDir Path dir;
  @Fixture private OpsFixture fx;

  @Test
  void replayOfARunWhoseInvalidRowsAreGoneFromTheWorkBucketSaysHowManyRowsItCouldNotSend()
      throws Exception {
    RunId run = fx.submit("mixed.jsonl", line("ok") + BAD_ROLE + line("fine"));
    fx.publishUntilClosed(run);
    assertThat(fx.results(3)).hasSize(3);
    // The work bucket's lifecycle rule deletes a run's files after work_retention_days; the run
    // document stays.
    fx.cloud
        .storage()
        .delete(
            BlobId.of(
                LocalDeployment.WORK, new WorkLayout(LocalDeployment.WORK).invalidObject(run)));

    OpsFixture.Result replay = fx.cli("replay", run.value());

    assertThat(replay.code()).as(replay.out() + replay.err()).isEqualTo(1);
    assertThat(replay.out()).contains("replayed 2 messages of run " + run);
    assertThat(replay.err())
        .isEqualTo(
            "batchdrop: 1 of 3 rows of run "
                + run
                + " have no result in the work bucket any more, so no message was sent for them"
                + " (batchdrop results "
                + run
                + " lists the rows there are)\n");
  }

  @Test
  void replayAndResultsOfARunWhoseOutputIsGoneSendNothingRatherThanCallTheRowsMissing()
      throws Exception {
    RunId run = fx.submit("done.jsonl", line("ok") + line("fine"));
    fx.publishUntilClosed(run);
    assertThat(fx.results(2)).hasSize(2);
    String output = fx.jobs(run).get(0).getString(JobDoc.OUTPUT_DIRECTORY);
    String prefix = output.substring(("gs://" + LocalDeployment.WORK + "/").length());
    for (var blob :
        fx.cloud
            .storage()
            .list(LocalDeployment.WORK, Storage.BlobListOption.prefix(prefix))
            .iterateAll()) {
      blob.delete();
    }

    OpsFixture.Result replay = fx.cli("replay", run.value());
    OpsFixture.Result results = fx.cli("results", run.value());

    assertThat(replay.code()).as(replay.out() + replay.err()).isEqualTo(1);
    assertThat(replay.err())
        .startsWith("batchdrop: the output of job " + run + "-s1-a1 (" + output)
        .contains("is gone from the work bucket")
        .endsWith("; nothing replayed\n");
    assertThat(fx.moreResults()).as("no message says a row that succeeded is missing").isEmpty();
    assertThat(results.code()).isEqualTo(1);
    assertThat(results.out()).isEmpty();
    assertThat(results.err()).contains("the output of job " + run + "-s1-a1");
  }

  @Test
  void aRunDocumentWithAFieldOfTheWrongTypeIsOneLineNamingTheFieldAndExits1() throws Exception {
    RunId run = fx.submit("damaged.jsonl", line("ok") + line("fine"));
    fx.publishUntilClosed(run);
    assertThat(fx.results(2)).hasSize(2);
    fx.cloud
        .firestore()
        .collection(RunDoc.COLLECTION)
        .document(run.value())
        .update(RunDoc.STATE, 7L, RunDoc.COUNTS + ".rows", "two")
        .get();

    for (String command : java.util.List.of("status", "replay", "results")) {
      OpsFixture.Result result = fx.cli(command, run.value());

      assertThat(result.code()).as(command + ": " + result.err()).isEqualTo(1);
      assertThat(result.err())
          .as(command)
          .isEqualTo(
              "batchdrop: run "
                  + run
                  + " cannot be read: field state is a number (7); expected a string or no"
                  + " value\n");
    }
    OpsFixture.Result runs = fx.cli("runs");
    assertThat(runs.code()).as(runs.err()).isEqualTo(1);
    assertThat(runs.err())
        .isEqualTo(
            "batchdrop: run "
                + run
                + " cannot be read: field state is a number (7); expected a string or no value\n");
    assertThat(fx.moreResults()).as("nothing replayed").isEmpty();
  }

  @Test
  void resultsOutInADirectoryThatDoesNotExistSaysSoInOneLine() throws Exception {
    RunId run = fx.submit("one.jsonl", line("ok"));
    fx.publishUntilClosed(run);
    Path out = dir.resolve("nowhere").resolve("results.jsonl");

    OpsFixture.Result results = fx.cli("results", run.value(), "--out", out.toString());

    assertThat(results.code()).isEqualTo(2);
    assertThat(results.err())
        .isEqualTo(
            "batchdrop: cannot write " + out + ": no such directory " + out.getParent() + "\n");
  }

  @Test
  void resultsOfARunWhoseStagedInputIsGoneIsOneLineAndLeavesNoFileBehind() throws Exception {
    RunId run = fx.submit("gone.jsonl", line("ok") + line("[vertex:missing] never answered"));
    fx.publishUntilClosed(run);
    // Every attempt's staged shard: the one a missing row's result is rebuilt from is the last's.
    for (var job : fx.jobs(run)) {
      String staged = job.getString(JobDoc.INPUT_URI);
      String object = staged.substring(("gs://" + LocalDeployment.WORK + "/").length());
      assertThat(fx.cloud.storage().delete(BlobId.of(LocalDeployment.WORK, object))).isTrue();
    }
    Path out = dir.resolve("results.jsonl");

    OpsFixture.Result results = fx.cli("results", run.value(), "--out", out.toString());

    assertThat(results.code()).as(results.err()).isEqualTo(1);
    assertThat(results.err())
        .startsWith("batchdrop: the staged input gs://" + LocalDeployment.WORK + "/runs/" + run)
        .contains("is gone (deleted, or past the work bucket's work_retention_days)")
        .endsWith("; no results written\n");
    assertThat(results.err().lines()).hasSize(1);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).as("no partial file left beside the target").isEmpty();
    }
  }

  @Test
  void aFileOverTheDeploymentsCostBudgetIsNotUploaded() throws Exception {
    // Without maxOutputTokens a row is bounded by the model's maximum output: far over a cent.
    fx.configure(Map.of("BATCHDROP_MAX_RUN_COST_USD", "0.01"));
    Path file = dir.resolve("costly.jsonl");
    Files.writeString(file, line("one") + line("two"));

    OpsFixture.Result result = fx.cli("submit", file.toString());

    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
    assertThat(result.out())
        .contains("over the $0.01 budget (BATCHDROP_MAX_RUN_COST_USD)")
        .contains("not uploaded: submit would reject this file");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void aBrokenPriceTableSettingIsOneLineNamingIt() throws Exception {
    fx.configure(Map.of("BATCHDROP_PRICE_TABLE", "{not json"));
    Path file = dir.resolve("one.jsonl");
    Files.writeString(file, line("one"));

    OpsFixture.Result result = fx.cli("submit", file.toString());

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err())
        .startsWith("batchdrop: BATCHDROP_PRICE_TABLE is not a price table: ")
        .doesNotContain("Exception");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void submitJsonOfAFileThatIsNotUploadedIsOneJsonObjectSayingWhy() throws Exception {
    fx.configure(
        Map.of("BATCHDROP_MAX_FILE_BYTES", "100", "BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash"));
    Path big = dir.resolve("big.jsonl");
    Files.writeString(big, line("x".repeat(200)));
    Path small = dir.resolve("small.jsonl");
    Files.writeString(small, "{}\n");

    OpsFixture.Result tooBig = fx.cli("submit", big.toString(), "--json");
    OpsFixture.Result notAllowed =
        fx.cli("submit", small.toString(), "--model", "gemini-2.5-pro", "--json");

    for (OpsFixture.Result result : java.util.List.of(tooBig, notAllowed)) {
      assertThat(result.code()).as(result.out() + result.err()).isEqualTo(1);
      assertThat(result.out().lines()).as(result.out()).hasSize(1);
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
      assertThat(json.path("uploaded").isBoolean()).isTrue();
      assertThat(json.path("uploaded").asBoolean()).isFalse();
      assertThat(json.path("reason").asText()).isNotBlank();
    }
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(tooBig.out())
                .path("reason")
                .asText())
        .contains("BATCHDROP_MAX_FILE_BYTES");
    assertThat(fx.cloud.storage().list(LocalDeployment.INBOX).iterateAll()).isEmpty();
  }

  @Test
  void cancelOfAGeminiApiRunFromAToolWithoutTheGeminiSettingsSaysWhatToSetAndExits2()
      throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
    fx.cloud.geminiEmulator().knobs().delays(Duration.ZERO, Duration.ofMinutes(10));
    var blob =
        fx.cloud
            .storage()
            .create(
                BlobInfo.newBuilder(LocalDeployment.INBOX, OpsFixture.PREFIX + "g.jsonl")
                    .setMetadata(Map.of("batchdrop-backend", "gemini-api"))
                    .build(),
                (line("one") + line("two")).getBytes(StandardCharsets.UTF_8));
    fx.deliver(blob);
    RunId run = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    // The operator's shell: the deployment's buckets and topics, none of the functions' backend
    // settings (what --terraform-dir gives).
    Map<String, String> env = new HashMap<>(fx.environment());
    env.remove("BATCHDROP_ALLOWED_BACKENDS");
    env.remove("GEMINI_API_KEY");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"cancel", run.value()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);

    String printed = out.toString(StandardCharsets.UTF_8);
    String error = err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(printed + error).isEqualTo(2);
    assertThat(printed)
        .as(error)
        .contains("cancel requested for run " + run)
        .contains(run + "-s1-a1")
        .contains("not cancelled");
    assertThat(error.lines()).hasSize(1);
    assertThat(error)
        .startsWith("batchdrop: ")
        .contains("gemini-api")
        .contains("BATCHDROP_ALLOWED_BACKENDS")
        .doesNotContain("Exception");
    assertThat(fx.run(run).get(io.batchdrop.cloud.run.RunDoc.CANCEL_REQUESTED_AT)).isNotNull();
  }
}
