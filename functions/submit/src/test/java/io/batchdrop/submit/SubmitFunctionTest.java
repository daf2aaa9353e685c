package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.WORK;
import static io.batchdrop.submit.SubmitFixture.finalized;
import static io.batchdrop.submit.SubmitFixture.json;
import static io.batchdrop.submit.SubmitFixture.line;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class SubmitFunctionTest {
  @Fixture private SubmitFixture fx;

  @Test
  void smallFileBecomesOneVertexJobWithKeyedAndLabelledInput(LocalCloud cloud) throws Exception {
    Blob blob =
        fx.upload(
            "incoming/small.jsonl",
            line("hello") + "\n" + "{\"key\":\"order-7\"," + line("bonjour").substring(1) + "\n");

    fx.function().accept(finalized(blob));

    String run = runId(blob).value();
    DocumentSnapshot runDoc = fx.run(blob);
    assertThat(runDoc.getString("state")).isEqualTo("SUBMITTED");
    assertThat(runDoc.getLong("counts.rows")).isEqualTo(2);
    assertThat(runDoc.getLong("counts.valid")).isEqualTo(2);
    assertThat(runDoc.getString("model")).isEqualTo("gemini-2.5-flash");

    List<BatchPredictionJob> vertexJobs = cloud.vertexEmulator().jobs();
    assertThat(vertexJobs).hasSize(1);
    BatchPredictionJob job = vertexJobs.get(0);
    String jobId = run + "-s1-a1";
    assertThat(job.getDisplayName()).isEqualTo(jobId);
    assertThat(job.getLabelsMap())
        .containsEntry("batchdrop-run", run)
        .containsEntry("batchdrop-job", jobId);
    assertThat(job.getModel())
        .endsWith("/locations/us-central1/publishers/google/models/gemini-2.5-flash");
    assertThat(job.getInputConfig().getGcsSource().getUris(0))
        .isEqualTo("gs://" + WORK + "/runs/" + run + "/input/" + jobId + ".jsonl");
    assertThat(job.getOutputConfig().getGcsDestination().getOutputUriPrefix())
        .isEqualTo("gs://" + WORK + "/runs/" + run + "/output/" + jobId + "/");

    String[] staged = fx.readWork("runs/" + run + "/input/" + jobId + ".jsonl").split("\n");
    assertThat(staged).hasSize(2);
    assertThat(json(staged[0]).path("key").asText()).isEqualTo("row-1");
    assertThat(json(staged[0]).at("/request/labels/batchdrop_row").asText()).isEqualTo("row-1");
    assertThat(json(staged[1]).path("key").asText()).isEqualTo("order-7");
    assertThat(json(staged[1]).at("/request/labels/batchdrop_row").asText()).isEqualTo("row-2");

    DocumentSnapshot jobDoc = cloud.firestore().collection("jobs").document(jobId).get().get();
    assertThat(jobDoc.getString("vertexName")).isEqualTo(job.getName());
    assertThat(jobDoc.getBoolean("active")).isTrue();
    assertThat(jobDoc.getLong("rows")).isEqualTo(2);
    assertThat(fx.eventTypes(2)).containsExactly("run.accepted", "job.submitted");
  }

  @Test
  void fileOverTheRowLimitIsSplitIntoOneJobPerShard(LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "2"));
    Blob blob = fx.upload("incoming/six.jsonl", lines(6));

    fx.function().accept(finalized(blob));

    List<QueryDocumentSnapshot> jobs =
        fx.jobsOf(blob).stream().sorted(Comparator.comparing(d -> d.getLong("shard"))).toList();
    assertThat(jobs)
        .extracting(d -> d.getLong("firstRow") + "-" + d.getLong("lastRow"))
        .containsExactly("1-2", "3-4", "5-6");
    assertThat(jobs).allSatisfy(d -> assertThat(d.getString("vertexName")).isNotBlank());
    assertThat(cloud.vertexEmulator().jobs()).hasSize(3);
    assertThat((java.util.List<?>) fx.run(blob).get("jobIds")).hasSize(3);
    assertThat(fx.eventTypes(4))
        .containsExactly("run.accepted", "job.submitted", "job.submitted", "job.submitted");
  }

  @Test
  void lenientFileSetsBadLinesAsideAndPublishesOneInvalidResultPerBadRow(LocalCloud cloud)
      throws Exception {
    StringBuilder file = new StringBuilder(lines(18));
    file.append(
        "{\"request\":{\"contents\":[{\"role\":\"tester\",\"parts\":[{\"text\":\"x\"}]}]}}\n"); // row 19
    file.append("not json at all\n"); // row 20
    Blob blob = fx.upload("incoming/mixed.jsonl", file.toString());

    fx.function().accept(finalized(blob));

    String run = runId(blob).value();
    DocumentSnapshot runDoc = fx.run(blob);
    assertThat(runDoc.getString("state")).isEqualTo("SUBMITTED");
    assertThat(runDoc.getLong("counts.rows")).isEqualTo(20);
    assertThat(runDoc.getLong("counts.valid")).isEqualTo(18);
    assertThat(runDoc.getLong("counts.invalid")).isEqualTo(2);
    assertThat(runDoc.getLong("counts.published")).isEqualTo(2);

    String[] invalid = fx.readWork("runs/" + run + "/invalid.jsonl").split("\n");
    assertThat(invalid).extracting(l -> json(l).path("row").asLong()).containsExactly(19L, 20L);

    List<PubsubMessage> results = fx.results(2);
    assertThat(results).hasSize(2);
    assertThat(results)
        .extracting(m -> m.getAttributesOrThrow("row"))
        .containsExactlyInAnyOrder("19", "20");
    PubsubMessage roleRow =
        results.stream()
            .filter(m -> m.getAttributesOrThrow("row").equals("19"))
            .findFirst()
            .orElseThrow();
    assertThat(roleRow.getAttributesMap())
        .containsEntry("status", "invalid")
        .containsEntry("run_id", run)
        .containsEntry("key", "row-19")
        .containsEntry("dedup_id", run + "/19/0")
        .containsEntry("source", "gs://batchdrop-inbox/incoming/mixed.jsonl");
    JsonNode data = json(roleRow.getData().toString(StandardCharsets.UTF_8));
    assertThat(data.at("/error/message").asText()).contains("line 19").contains("\"tester\"");
    assertThat(data.at("/error/findings/0/path").asText()).contains("role");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
  }

  @Test
  void aRowWhoseKeyIsMegabytesLongIsInvalidUnderItsRowNumberAndTheRunGoesOn(LocalCloud cloud)
      throws Exception {
    // Within the line limit, but the key alone is far past Pub/Sub's 10 MB message.
    String hugeKey = "k".repeat(10_100_000);
    String file =
        lines(10)
            + "{\"key\":\""
            + hugeKey
            + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"x\"}]}]}}\n";
    Blob blob = fx.upload("incoming/huge-key.jsonl", file);

    fx.function().accept(finalized(blob));

    DocumentSnapshot runDoc = fx.run(blob);
    assertThat(runDoc.getString("state")).isEqualTo("SUBMITTED");
    assertThat(runDoc.getLong("counts.invalid")).isEqualTo(1);
    PubsubMessage invalid = fx.results(1).get(0);
    assertThat(invalid.getAttributesMap())
        .containsEntry("status", "invalid")
        .containsEntry("row", "11")
        .containsEntry("key", "row-11");
    assertThat(
            json(invalid.getData().toString(StandardCharsets.UTF_8)).at("/error/message").asText())
        .contains("10100000 characters long; expected at most 256");
  }

  @Test
  void aRowThatPointsFileDataIntoTheWorkBucketIsInvalidThoughNoAllowListIsSet(LocalCloud cloud)
      throws Exception {
    // Another run's staged input, which the batch service can read: never a row's file.
    String row =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"fileData\":"
            + "{\"fileUri\":\"gs://"
            + LocalDeployment.WORK
            + "/runs/0123456789abcdef0123/input/0123456789abcdef0123-s1-a1.jsonl\","
            + "\"mimeType\":\"text/plain\"}}]}]}}\n";
    Blob blob = fx.upload("incoming/peek.jsonl", lines(10) + row);

    fx.function().accept(finalized(blob));

    PubsubMessage invalid = fx.results(1).get(0);
    assertThat(invalid.getAttributesMap()).containsEntry("status", "invalid");
    assertThat(invalid.getData().toString(StandardCharsets.UTF_8))
        .contains("file-bucket-not-allowed", "work bucket");
  }

  @Test
  void aRowThatPointsFileDataIntoTheInboxIsInvalidEvenWhenTheAllowListNamesIt(LocalCloud cloud)
      throws Exception {
    // Another user's upload, every prompt of it: never a row's file, whatever the allow-list says.
    fx.configure(Map.of("BATCHDROP_ALLOWED_FILE_BUCKETS", LocalDeployment.INBOX + ",media-in"));
    String row =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"fileData\":"
            + "{\"fileUri\":\"gs://"
            + LocalDeployment.INBOX
            + "/incoming/someone-elses.jsonl\","
            + "\"mimeType\":\"text/plain\"}}]}]}}\n";
    Blob blob = fx.upload("incoming/peek-inbox.jsonl", lines(10) + row);

    fx.function().accept(finalized(blob));

    PubsubMessage invalid = fx.results(1).get(0);
    assertThat(invalid.getAttributesMap()).containsEntry("status", "invalid");
    assertThat(invalid.getData().toString(StandardCharsets.UTF_8))
        .contains("file-bucket-not-allowed", "inbox");
  }

  @Test
  void strictPolicyRejectsAFileWithOneBadLine(LocalCloud cloud) throws Exception {
    Blob blob =
        fx.upload(
            "incoming/strict.jsonl",
            lines(30) + "{\"request\":{}}\n",
            Map.of("batchdrop-policy", "strict"));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "strict");
    JsonNode report = json(fx.readWork("runs/" + runId(blob).value() + "/report.json"));
    assertThat(report.at("/counts/invalid").asLong()).isEqualTo(1);
    assertThat(report.at("/findings/0/line").asLong()).isEqualTo(31);
  }

  @Test
  void lenientPolicyRejectsAFileAboveTheInvalidRatio(LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/noisy.jsonl", lines(8) + "oops\n{\"request\":[]}\n");

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "10%");
    assertThat(fx.run(blob).getLong("counts.invalid")).isEqualTo(2);
  }

  @Test
  void modelNotOnTheAllowListIsRejectedWithoutReadingTheFile(LocalCloud cloud) throws Exception {
    Blob blob =
        fx.upload("incoming/model.jsonl", lines(3), Map.of("batchdrop-model", "gemini-9-ultra"));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "gemini-9-ultra");
  }

  @Test
  void fileOverTheSizeLimitIsRejectedBeforeAByteIsRead(LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_FILE_BYTES", "100"));
    Blob blob = fx.upload("incoming/big.jsonl", lines(5));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "limit is 100 bytes");
  }

  @Test
  void aFileStoredGzipCompressedIsRejectedSayingSoRatherThanAsNotUtf8(LocalCloud cloud)
      throws Exception {
    java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzipped)) {
      out.write(lines(3).getBytes(StandardCharsets.UTF_8));
    }
    // What gsutil cp -Z and gcloud storage cp --gzip-local-all store.
    Blob blob =
        cloud
            .storage()
            .create(
                com.google.cloud.storage.BlobInfo.newBuilder(
                        LocalDeployment.INBOX, "incoming/zipped.jsonl")
                    .setContentType("application/jsonl")
                    .setContentEncoding("gzip")
                    .build(),
                gzipped.toByteArray());

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "Content-Encoding: gzip");
    assertThat(fx.run(blob).getString("reason")).contains("upload it without compression");
  }

  @Test
  void modelVertexDoesNotKnowFailsTheRunWithoutAskingForARetry(LocalCloud cloud) throws Exception {
    Blob blob =
        fx.upload(
            "incoming/unknown-model.jsonl",
            lines(2),
            Map.of("batchdrop-model", "gemini-0-unreleased"));

    assertThatCode(() -> fx.function().accept(finalized(blob))).doesNotThrowAnyException();

    DocumentSnapshot run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("FAILED");
    assertThat(run.getString("reason")).contains("NOT_FOUND");
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
    assertThat(fx.eventTypes(2)).containsExactly("run.accepted", "run.completed");
  }

  @Test
  void aShardRefusedAfterOthersWereCreatedFailsTheRunAndCancelsTheirJobs(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "2"));
    cloud
        .vertexEmulator()
        .knobs()
        .delays(java.time.Duration.ofHours(1), java.time.Duration.ofHours(1))
        .failCreatesAfter(1, 1, io.grpc.Status.Code.INVALID_ARGUMENT);
    Blob blob = fx.upload("incoming/half.jsonl", lines(4));

    assertThatCode(() -> fx.function().accept(finalized(blob))).doesNotThrowAnyException();

    DocumentSnapshot run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("FAILED");
    assertThat(run.getString("reason"))
        .contains("shard 2")
        .contains("INVALID_ARGUMENT")
        .contains("1 job(s) already created for earlier shards were cancelled");
    assertThat(cloud.vertexEmulator().jobs())
        .singleElement()
        .satisfies(
            job ->
                assertThat(job.getState().name())
                    .isIn("JOB_STATE_CANCELLING", "JOB_STATE_CANCELLED"));
  }

  @Test
  void aNameTooLongForAMessageAttributeIsRejectedUnread(LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/" + "n".repeat(1000) + ".jsonl", lines(1));

    fx.function().accept(finalized(blob));

    assertThat(fx.run(blob).getString("state")).isEqualTo("REJECTED");
    assertThat(fx.run(blob).getString("reason"))
        .contains("source attribute")
        .contains("1024 bytes");
  }

  @Test
  void objectsOutsideTheInboxPrefixOrNotJsonlAreIgnored(LocalCloud cloud) throws Exception {
    Blob outside = fx.upload("elsewhere/a.jsonl", lines(1));
    Blob notJsonl = fx.upload("incoming/a.csv", lines(1));

    fx.function().accept(finalized(outside));
    fx.function().accept(finalized(notJsonl));

    assertThat(fx.run(outside).exists()).isFalse();
    assertThat(fx.run(notJsonl).exists()).isFalse();
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
  }

  @Test
  void malformedEventPayloadIsDroppedWithoutAnExceptionThatWouldRetryIt(LocalCloud cloud) {
    var garbage =
        CloudEventBuilder.v1()
            .withId("e1")
            .withType("google.cloud.storage.object.v1.finalized")
            .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
            .withData(
                "application/json", "{\"bucket\": 12, \"name\": [".getBytes(StandardCharsets.UTF_8))
            .build();
    var noGeneration =
        CloudEventBuilder.v1()
            .withId("e2")
            .withType("google.cloud.storage.object.v1.finalized")
            .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
            .withData(
                "application/json",
                "{\"bucket\":\"b\",\"name\":\"incoming/x.jsonl\"}".getBytes(StandardCharsets.UTF_8))
            .build();

    assertThatCode(() -> fx.function().accept(garbage)).doesNotThrowAnyException();
    assertThatCode(() -> fx.function().accept(noGeneration)).doesNotThrowAnyException();
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
  }

  @Test
  void overwritingAnObjectStartsASecondRun(LocalCloud cloud) throws Exception {
    SubmitFunction function = fx.function();
    Blob first = fx.upload("incoming/daily.jsonl", lines(2));
    function.accept(finalized(first));
    Blob second = fx.upload("incoming/daily.jsonl", lines(3));
    function.accept(finalized(second));

    assertThat(second.getGeneration()).isNotEqualTo(first.getGeneration());
    assertThat(runId(second)).isNotEqualTo(runId(first));
    assertThat(fx.run(first).getString("state")).isEqualTo("SUBMITTED");
    assertThat(fx.run(second).getString("state")).isEqualTo("SUBMITTED");
    assertThat(fx.run(second).getLong("counts.rows")).isEqualTo(3);
    assertThat(cloud.vertexEmulator().jobs()).hasSize(2);
  }

  @Test
  void anObjectDeletedBeforeItIsReadIsRejectedAsGoneInsteadOfRetried(LocalCloud cloud)
      throws Exception {
    Blob blob = fx.upload("incoming/gone.jsonl", lines(3));
    cloud.storage().delete(blob.getBlobId());

    assertThatCode(() -> fx.function().accept(finalized(blob))).doesNotThrowAnyException();

    assertRejected(cloud, blob, "no longer exists");
  }

  @Test
  void aShardUploadTheWorkBucketRefusesFailsTheInvocationForARedeliveryInsteadOfRejecting(
      LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/unwritable.jsonl", lines(3));
    fx.configure(Map.of("BATCHDROP_WORK_BUCKET", "no-such-work-bucket"));

    // The upload fails on the staging thread; its 404 reaches the caller as the cause.
    assertThatThrownBy(() -> fx.function().accept(finalized(blob)))
        .satisfies(e -> assertThat(Failures.isStorageNotFound(e)).as("404 in %s", e).isTrue());
    assertThat(fx.run(blob).getString("state")).isEqualTo("VALIDATING");

    fx.configure(Map.of("BATCHDROP_WORK_BUCKET", WORK));
    fx.function().accept(finalized(blob));

    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(fx.run(blob).getLong("counts.valid")).isEqualTo(3);
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
  }

  @Test
  void invalidRowPublishingResumesAfterItsLastCheckpointInsteadOfFromRowOne(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_INVALID_RATIO", "1.0"));
    int invalid = 1500;
    Blob blob = fx.upload("incoming/resume.jsonl", lines(2) + "{\"request\":{}}\n".repeat(invalid));
    fx.function().accept(finalized(blob));
    assertThat(fx.results(invalid)).hasSize(invalid);
    // As a delivery that died after the first checkpoint leaves the run.
    fx.run(blob)
        .getReference()
        .update(
            Map.of(
                "state",
                "VALIDATING",
                "progress.invalidPublished",
                false,
                "progress.invalidPublishedRows",
                1000L,
                "lease.expiresAt",
                com.google.cloud.Timestamp.ofTimeSecondsAndNanos(0, 0)))
        .get();

    fx.function().accept(finalized(blob));

    List<PubsubMessage> again = fx.results(invalid - 1000);
    assertThat(again).hasSize(invalid - 1000);
    assertThat(again.stream().mapToLong(m -> Long.parseLong(m.getAttributesOrThrow("row"))).min())
        .hasValue(1003); // two valid rows, then the 1,000 already published
    assertThat(fx.run(blob).getLong("counts.published")).isEqualTo(invalid);
  }

  @Test
  void theCostEstimateIsMadeWhileValidatingAndRecordedInTheRunAndInRunAccepted(LocalCloud cloud)
      throws Exception {
    Blob blob =
        fx.upload(
            "incoming/estimated.jsonl",
            "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcdefgh\"}]}],"
                + "\"generationConfig\":{\"maxOutputTokens\":100}}}\n");

    fx.function().accept(finalized(blob));

    DocumentSnapshot run = fx.run(blob);
    assertThat(run.getLong("estimate.inputTokens")).isEqualTo(2); // 8 characters / 4
    assertThat(run.getLong("estimate.outputTokensBound")).isEqualTo(100);
    assertThat(run.getString("estimate.batchCostUsd")).isNotEmpty();
    JsonNode accepted =
        json(cloud.pull("events-sub", 1, SubmitFixture.WAIT).get(0).getData().toStringUtf8())
            .path("data");
    assertThat(accepted.path("estimate").path("inputTokens").asLong()).isEqualTo(2);
  }

  @Test
  void aRunWhoseEstimatedCostIsOverTheBudgetIsRejectedSayingByHowMuch(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_RUN_COST_USD", "0.000001"));
    Blob blob = fx.upload("incoming/expensive.jsonl", lines(3));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "over the $0.000001 budget (BATCHDROP_MAX_RUN_COST_USD) by $");
  }

  @Test
  void aBudgetThatCannotBeCheckedRejectsTheRunInsteadOfIgnoringIt(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_RUN_COST_USD", "100"));
    Blob blob =
        fx.upload(
            "incoming/unpriced.jsonl", lines(1), Map.of("batchdrop-model", "gemini-0-unreleased"));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "no price for model gemini-0-unreleased");
  }

  @Test
  void theSameFileIsSubmittedToTheGeminiApiAndRejectedForVertexWithTheImportersFindings(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
    // The documented way to enable search, a key that looks like a number, a Files API file.
    String file =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"news?\"}]}],"
            + "\"tools\":[{\"google_search\":{}}]}}\n"
            + "{\"key\":\"42\","
            + line("hello").substring(1)
            + "\n"
            + "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"sum up\"},{\"fileData\":"
            + "{\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/doc-1\","
            + "\"mimeType\":\"application/pdf\"}}]}]}}\n";

    Blob gemini =
        fx.upload("incoming/both-gemini.jsonl", file, Map.of("batchdrop-backend", "gemini-api"));
    fx.function().accept(finalized(gemini));
    Blob vertex =
        fx.upload("incoming/both-vertex.jsonl", file, Map.of("batchdrop-backend", "vertex"));
    fx.function().accept(finalized(vertex));

    DocumentSnapshot onGemini = fx.run(gemini);
    assertThat(onGemini.getString("state")).isIn("SUBMITTED", "RUNNING");
    assertThat(onGemini.getLong("counts.valid")).isEqualTo(3);
    assertThat(onGemini.getLong("counts.invalid")).isZero();
    assertThat(fx.jobsOf(gemini).get(0).getString("vertexName")).startsWith("batches/");

    DocumentSnapshot onVertex = fx.run(vertex);
    assertThat(onVertex.getString("state")).isEqualTo("REJECTED");
    assertThat(onVertex.getLong("counts.invalid")).isEqualTo(3);
    JsonNode report = json(fx.readWork("runs/" + runId(vertex).value() + "/report.json"));
    List<String> codes = new java.util.ArrayList<>();
    report.path("findings").forEach(f -> codes.add(f.path("code").asText()));
    assertThat(codes).containsExactly("empty-object", "key-numeric", "file-uri-invalid");
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
  }

  @Test
  void anEmbeddingsFileForVertexIsRejectedWithAFindingSayingWhereItWouldRun(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash,gemini-embedding-001"));
    Blob blob =
        fx.upload(
            "incoming/embed.jsonl",
            "{\"request\":{\"content\":{\"parts\":[{\"text\":\"a document\"}]}}}\n",
            Map.of("batchdrop-model", "gemini-embedding-001"));

    fx.function().accept(finalized(blob));

    assertRejected(cloud, blob, "is an embedding model");
    JsonNode report = json(fx.readWork("runs/" + runId(blob).value() + "/report.json"));
    assertThat(report.at("/findings/0/code").asText()).isEqualTo("embeddings-not-supported");
    assertThat(report.at("/findings/0/message").asText())
        .contains("Batchdrop submits embeddings batches only on the Gemini API")
        .contains("batchdrop-backend: gemini-api");
  }

  private void assertRejected(LocalCloud cloud, Blob blob, String reasonPart) throws Exception {
    DocumentSnapshot run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("REJECTED");
    assertThat(run.getString("reason")).contains(reasonPart);
    assertThat(run.getString("reportUri"))
        .isEqualTo("gs://" + WORK + "/runs/" + runId(blob).value() + "/report.json");
    JsonNode report = json(fx.readWork("runs/" + runId(blob).value() + "/report.json"));
    assertThat(report.path("verdict").asText()).isEqualTo("rejected");
    assertThat(report.path("reason").asText()).contains(reasonPart);
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
    assertThat(fx.jobsOf(blob)).isEmpty();
    assertThat(fx.eventTypes(1)).containsExactly("run.rejected");
  }
}
