package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.keyed;
import static io.batchdrop.publish.PublishFixture.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.emulator.gemini.BatchState;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole flow on the Gemini API emulator: the real submit with {@code batchdrop-backend:
 * gemini-api}, the batch polled through {@code GeminiApiBackend} (which copies the responses file
 * into the work bucket), then the real publish.
 */
@LocalCloudTest
class GeminiApiFlowTest {
  private static final Map<String, String> GEMINI = Map.of("batchdrop-backend", "gemini-api");
  @Fixture private PublishFixture fx;
  private LocalCloud cloud;

  @BeforeEach
  void deploy(LocalCloud cloud) {
    this.cloud = cloud;
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
  }

  @Test
  void userKeysComeBackInEveryResultAndAFailedRowIsFailed() throws Exception {
    String file =
        keyed("greeting", "Say hello")
            + keyed("question", "What is batch inference?")
            + keyed("broken", "[vertex:fail-400] a bad row");
    RunId run = fx.submit("keyed.jsonl", file, GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.getString(JobDoc.BACKEND)).isEqualTo("gemini-api");
    assertThat(job.getString(JobDoc.VERTEX_NAME)).startsWith("batches/");

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(3);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("greeting", "succeeded", "question", "succeeded", "broken", "failed"));
    assertThat(results)
        .filteredOn(m -> m.getAttributesOrThrow("key").equals("greeting"))
        .singleElement()
        .satisfies(m -> assertThat(m.getAttributesOrThrow("row")).isEqualTo("1"));
    assertThat(fx.run(run).getString("state")).isEqualTo("PARTIAL");
    assertThat(fx.readWork("runs/" + run.value() + "/output/" + job.getId() + "/predictions.jsonl"))
        .as("the responses file is copied into the work bucket")
        .contains("\"key\":\"row-1\"");
  }

  @Test
  void aFileOfThreeShardsMakesThreeBatchesAndEveryRowComesBackUnderItsOwnKey() throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "2"));
    String file =
        keyed("a", "one")
            + keyed("b", "two")
            + line("three")
            + keyed("d", "[vertex:fail-400] four")
            + keyed("e", "five")
            + line("six");
    RunId run = fx.submit("sharded.jsonl", file, GEMINI);

    List<QueryDocumentSnapshot> jobs = fx.jobs(run);
    assertThat(jobs).hasSize(3);
    assertThat(jobs)
        .extracting(j -> j.getString(JobDoc.VERTEX_NAME))
        .allMatch(name -> name.startsWith("batches/"))
        .doesNotHaveDuplicates();
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(6);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "a", "succeeded",
                "b", "succeeded",
                "row-3", "succeeded",
                "d", "failed",
                "e", "succeeded",
                "row-6", "succeeded"));
    assertThat(results)
        .allSatisfy(
            m -> {
              String key = m.getAttributesOrThrow("key");
              String row = m.getAttributesOrThrow("row");
              assertThat(key.startsWith("row-") ? key.substring(4) : rowOf(key))
                  .as("key %s is row %s's", key, row)
                  .isEqualTo(row);
            });
    assertThat(fx.run(run).getString("state")).isEqualTo("PARTIAL");
  }

  /** The row each user key of the sharded file was given on. */
  private static String rowOf(String key) {
    return switch (key) {
      case "a" -> "1";
      case "b" -> "2";
      case "d" -> "4";
      case "e" -> "5";
      default -> "?";
    };
  }

  @Test
  void rowsWithoutKeysAreNamedByTheirRowNumber() throws Exception {
    RunId run = fx.submit("plain.jsonl", line("one") + line("two"), GEMINI);
    fx.publishUntilClosed(run);

    assertThat(byKey(fx.results(2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("row-1", "succeeded", "row-2", "succeeded"));
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aRowRefusedWith429OnceSucceedsInTheNextAttempt() throws Exception {
    RunId run =
        fx.submit(
            "quota.jsonl", keyed("busy", "[vertex:fail-429-once] later") + line("fine"), GEMINI);
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(Map.of("busy", "succeeded", "row-2", "succeeded"));
    assertThat(results)
        .filteredOn(m -> m.getAttributesOrThrow("key").equals("busy"))
        .singleElement()
        .satisfies(m -> assertThat(m.getAttributesOrThrow("attempt")).isEqualTo("2"));
    assertThat(fx.jobs(run)).hasSize(2);
  }

  @Test
  void aStagedShardDeletedBeforePublishStillPublishesEveryAnsweredRowUnderItsRowNumber()
      throws Exception {
    RunId run = fx.submit("gone.jsonl", keyed("greeting", "Say hello") + line("two"), GEMINI);
    List<io.batchdrop.cloud.jobs.HandOffMessage> handOffs = fx.finishJobs(run);
    String input = fx.jobs(run).get(0).getString(JobDoc.INPUT_URI);
    String bucket = input.substring(5, input.indexOf('/', 5));
    assertThat(
            cloud
                .storage()
                .delete(
                    com.google.cloud.storage.BlobId.of(
                        bucket, input.substring(input.indexOf('/', 5) + 1))))
        .isTrue();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOffs.get(0)));
    }

    assertThat(byKey(fx.results(2)))
        .as("the user's key went with the shard; the row number stays")
        .containsExactlyInAnyOrderEntriesOf(Map.of("row-1", "succeeded", "row-2", "succeeded"));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void anExpiredBatchLeavesItsRowsMissing() throws Exception {
    cloud.geminiEmulator().knobs().endBatchesAs(BatchState.BATCH_STATE_EXPIRED);
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "1"));
    RunId run = fx.submit("late.jsonl", line("one") + line("two"), GEMINI);
    fx.publishUntilClosed(run);

    assertThat(byKey(fx.results(2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("row-1", "missing", "row-2", "missing"));
    assertThat(fx.jobs(run).get(0).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_EXPIRED");
  }

  @Test
  void aResponsesFileGoneBeforePollCopiedItRunsItsRowsAgainNotFailingEveryPoll() throws Exception {
    // A file expires 48 h after it is made. The Files API answers a file that does not exist with
    // 403 "… or it may not exist", not 404, so a copy that took only a 404 for "gone" failed
    // every poll of the job from then on.
    RunId run = fx.submit("expired.jsonl", keyed("greeting", "Say hello") + line("two"), GEMINI);
    String batch = fx.jobs(run).get(0).getString(JobDoc.VERTEX_NAME);
    assertThat(geminiCall("GET", "v1beta/" + batch).statusCode()).isEqualTo(200);
    int deleted = 0;
    for (var file : list("files").path("files")) {
      String name = file.path("name").asText();
      if (name.startsWith("files/batch-")) {
        assertThat(geminiCall("DELETE", "v1beta/" + name).statusCode()).isEqualTo(200);
        deleted++;
      }
    }
    assertThat(deleted).as("responses files deleted").isEqualTo(1);

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(Map.of("greeting", "succeeded", "row-2", "succeeded"));
    assertThat(results)
        .as("the first batch's answers are gone: its rows ran again")
        .allSatisfy(m -> assertThat(m.getAttributesOrThrow("attempt")).isEqualTo("2"));
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aDownloadRefusedWith403WhileTheFileIsThereFailsThatPollAndTheNextCopiesIt()
      throws Exception {
    RunId run = fx.submit("refused.jsonl", keyed("greeting", "Say hello") + line("two"), GEMINI);
    cloud.geminiEmulator().knobs().failNextDownloads(1, 403);

    assertThatThrownBy(() -> fx.awaitGeminiTerminal(fx.jobs(run).get(0)))
        .as("files.get still finds the file, so the refusal is not taken for a gone file")
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.getStatusCode().getCode())
                    .isEqualTo(StatusCode.Code.PERMISSION_DENIED));
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(Map.of("greeting", "succeeded", "row-2", "succeeded"));
    assertThat(results)
        .as("answered by the first batch, not run again")
        .allSatisfy(m -> assertThat(m.getAttributesOrThrow("attempt")).isEqualTo("1"));
  }

  @Test
  void aBatchReportedSucceededBeforeItsResponsesFileIsNamedIsPolledAgainNotPublishedMissing()
      throws Exception {
    // The real API can answer BATCH_STATE_SUCCEEDED before metadata.output.responsesFile is set.
    cloud.geminiEmulator().knobs().withholdResponsesFileFromNextGets(1);
    RunId run = fx.submit("early.jsonl", keyed("greeting", "Say hello") + line("two"), GEMINI);
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(Map.of("greeting", "succeeded", "row-2", "succeeded"));
    assertThat(results)
        .as("answered by the first batch, not run again")
        .allSatisfy(m -> assertThat(m.getAttributesOrThrow("attempt")).isEqualTo("1"));
    assertThat(fx.jobs(run)).hasSize(1);
  }

  @Test
  void aShardStillProcessingAfterItsUploadIsWaitedForNotFailedWithItsWholeRun() throws Exception {
    // The real API refuses a batch from a file still PROCESSING (400 FAILED_PRECONDITION), and a
    // large JSONL is not ACTIVE the moment its upload ends.
    cloud.geminiEmulator().knobs().processNextUploads(1, 2);
    RunId run = fx.submit("big.jsonl", keyed("greeting", "Say hello") + line("two"), GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);

    assertThat(job.getString(JobDoc.STATE)).isNotEqualTo(JobDoc.CREATE_FAILED);
    assertThat(job.getString(JobDoc.VERTEX_NAME)).startsWith("batches/");
    fx.publishUntilClosed(run);
    assertThat(byKey(fx.results(2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("greeting", "succeeded", "row-2", "succeeded"));
    assertThat(fx.jobs(run)).hasSize(1);
  }

  @Test
  void aCreateWhoseAnswerWasLostIsAdoptedByDisplayNameNeverTwoBatches() throws Exception {
    cloud.geminiEmulator().knobs().withholdNextCreateAnswers(1);
    RunId run = fx.submit("lost.jsonl", line("one"), GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);

    assertThat(job.getString(JobDoc.VERTEX_NAME)).startsWith("batches/");
    assertThat(activeBatchesNamed(job.getId())).isEqualTo(1);
    fx.publishUntilClosed(run);
    assertThat(byKey(fx.results(1))).containsExactlyEntriesOf(Map.of("row-1", "succeeded"));
  }

  @Test
  void aCreateRefusedWith429IsRetriedOnTheFileAlreadyUploadedNeverUploadingTheShardAgain()
      throws Exception {
    // Uploaded files count against the project's 20 GB for 48 h: a shard of up to 1 GB uploaded
    // again for every retried create would fill it, and each upload takes the create claim's time.
    cloud.geminiEmulator().knobs().failNextCreates(2, 429);
    RunId run = fx.submit("busy.jsonl", line("one") + line("two"), GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);

    assertThat(job.getString(JobDoc.VERTEX_NAME)).startsWith("batches/");
    assertThat(filesNamed(job.getId())).as("files uploaded for the job").isEqualTo(1);
    fx.publishUntilClosed(run);
    assertThat(byKey(fx.results(2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("row-1", "succeeded", "row-2", "succeeded"));
  }

  @Test
  void aDownloadCutMidFileFailsThatPollAndTheNextCopiesTheWholeFileSoNoRowIsMissing()
      throws Exception {
    RunId run = fx.submit("cut.jsonl", keyed("a", "one") + keyed("b", "two") + line("3"), GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);
    cloud.geminiEmulator().knobs().cutNextDownloads(1);

    assertThatThrownBy(() -> fx.awaitGeminiTerminal(job))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> assertThat(e.getStatusCode().getCode()).isEqualTo(StatusCode.Code.UNAVAILABLE));
    assertThat(workObjects("runs/" + run.value() + "/output/"))
        .as("nothing of the cut copy is left where publish reads")
        .isEmpty();

    fx.publishUntilClosed(run);
    assertThat(byKey(fx.results(3)))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("a", "succeeded", "b", "succeeded", "row-3", "succeeded"));
    assertThat(fx.jobs(run)).as("no second attempt").hasSize(1);
  }

  @Test
  void answersThatStallMidBodyEndWithinTheCallDeadlineAndTheNextPollCopiesTheFile()
      throws Exception {
    RunId run = fx.submit("stall.jsonl", keyed("a", "one") + line("two"), GEMINI);
    QueryDocumentSnapshot job = fx.jobs(run).get(0);
    fx.configure(Map.of("BATCHDROP_VERTEX_DEADLINE_SECONDS", "1"));

    cloud.geminiEmulator().knobs().stallNextGets(1, Duration.ofSeconds(20));
    assertThatThrownBy(() -> fx.awaitGeminiTerminal(job))
        .as("a batch get whose answer stalls after its headers")
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.getStatusCode().getCode())
                    .isEqualTo(StatusCode.Code.DEADLINE_EXCEEDED));
    cloud.geminiEmulator().knobs().stallNextDownloads(1, Duration.ofSeconds(20));
    assertThatThrownBy(() -> fx.awaitGeminiTerminal(job))
        .as("a download whose body stalls halfway")
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.getStatusCode().getCode())
                    .isEqualTo(StatusCode.Code.DEADLINE_EXCEEDED));

    fx.publishUntilClosed(run);
    assertThat(byKey(fx.results(2)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", "succeeded", "row-2", "succeeded"));
  }

  @Test
  void aReplayOfAGeminiApiRunSendsWhatPublishSentUnderTheUsersKeys() throws Exception {
    RunId run =
        fx.submit(
            "replayed.jsonl",
            keyed("greeting", "Say hello") + keyed("broken", "[vertex:fail-400] bad"),
            GEMINI);
    fx.publishUntilClosed(run);
    Map<String, String> published = new TreeMap<>();
    for (PubsubMessage m : fx.results(2)) {
      published.put(m.getAttributesOrThrow("dedup_id"), sent(m));
    }

    Map<String, String> replayed = new TreeMap<>();
    new RunReplay(cloud.storage(), fx.config(), java.time.Clock.systemUTC())
        .replay(
            fx.run(run),
            new java.util.ArrayList<>(fx.jobs(run)),
            (row, status, m) -> replayed.put(m.getAttributesOrThrow("dedup_id"), sent(m)));

    assertThat(replayed).isEqualTo(published);
    assertThat(published.values())
        .anySatisfy(m -> assertThat(m).startsWith("succeeded greeting"))
        .anySatisfy(m -> assertThat(m).startsWith("failed broken"));
  }

  private static String sent(PubsubMessage m) {
    return m.getAttributesOrThrow("status")
        + " "
        + m.getAttributesOrThrow("key")
        + " "
        + m.getData().toStringUtf8();
  }

  /** Names of the work bucket's objects under {@code prefix}. */
  private List<String> workObjects(String prefix) {
    List<String> names = new java.util.ArrayList<>();
    cloud
        .storage()
        .list(LocalDeployment.WORK, Storage.BlobListOption.prefix(prefix))
        .iterateAll()
        .forEach(b -> names.add(b.getName()));
    return names;
  }

  @Test
  void anEmbeddingsFileIsAnEmbeddingsBatchAndEveryResultCarriesItsVector() throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash,gemini-embedding-001"));
    String file =
        "{\"key\":\"doc-1\",\"request\":{\"content\":{\"parts\":[{\"text\":\"Batch inference"
            + " is cheap.\"}]},\"taskType\":\"RETRIEVAL_DOCUMENT\",\"title\":\"Costs\","
            + "\"outputDimensionality\":768}}\n"
            + "{\"request\":{\"content\":{\"parts\":{\"text\":\"Queues decouple producers.\"}}}}\n"
            + "{\"key\":\"doc-1-again\",\"request\":{\"content\":{\"parts\":[{\"text\":\"Batch"
            + " inference is cheap.\"}]},\"output_dimensionality\":768}}\n";
    RunId run =
        fx.submit(
            "embed.jsonl",
            file,
            Map.of("batchdrop-backend", "gemini-api", "batchdrop-model", "gemini-embedding-001"));
    QueryDocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.getString(JobDoc.VERTEX_NAME)).startsWith("batches/");

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(3);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(byKey(results))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("doc-1", "succeeded", "row-2", "succeeded", "doc-1-again", "succeeded"));
    Map<String, com.fasterxml.jackson.databind.JsonNode> vectors = new TreeMap<>();
    for (PubsubMessage m : results) {
      com.fasterxml.jackson.databind.JsonNode data =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(m.getData().toByteArray());
      vectors.put(m.getAttributesOrThrow("key"), data.at("/response/embedding/values"));
    }
    assertThat(vectors.get("doc-1")).hasSize(768);
    assertThat(vectors.get("row-2")).as("the model's full size").hasSize(3072);
    assertThat(vectors.get("doc-1-again")).isEqualTo(vectors.get("doc-1"));
    assertThat(vectors.get("doc-1").get(0).isNumber()).isTrue();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
    assertThat(batchKind(job.getString(JobDoc.VERTEX_NAME))).endsWith("EmbedContentBatch");
  }

  /** The {@code @type} of a batch's metadata: which kind of batch the emulator was asked for. */
  private String batchKind(String name) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(cloud.geminiEmulator().baseUri() + "/v1beta/" + name))
                    .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(answer.body())
        .at("/metadata/@type")
        .asText();
  }

  /** Batches with this display name that are not cancelled, from the emulator's list. */
  private long filesNamed(String displayName) throws Exception {
    long count = 0;
    for (var file : list("files").path("files")) {
      if (displayName.equals(file.path("displayName").asText())) {
        count++;
      }
    }
    return count;
  }

  private com.fasterxml.jackson.databind.JsonNode list(String collection) throws Exception {
    HttpResponse<String> answer = geminiCall("GET", "v1beta/" + collection + "?pageSize=100");
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body());
  }

  private HttpResponse<String> geminiCall(String method, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(cloud.geminiEmulator().baseUri() + "/" + path))
                .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private long activeBatchesNamed(String displayName) throws Exception {
    var list = list("batches");
    long count = 0;
    for (var op : list.path("operations")) {
      if (displayName.equals(op.path("metadata").path("displayName").asText())
          && !op.path("metadata").path("state").asText().equals("BATCH_STATE_CANCELLED")) {
        count++;
      }
    }
    return count;
  }

  private static Map<String, String> byKey(List<PubsubMessage> results) {
    return results.stream()
        .collect(
            Collectors.toMap(
                m -> m.getAttributesOrThrow("key"),
                m -> m.getAttributesOrThrow("status"),
                (a, b) -> a + "," + b,
                TreeMap::new));
  }
}
