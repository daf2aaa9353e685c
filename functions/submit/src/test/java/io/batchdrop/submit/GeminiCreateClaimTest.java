package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.finalized;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.SetClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Gemini API create is an upload, a wait for the file to be ACTIVE and then the batch create: the
 * create claim must still be held when the batch create is sent, not only when the upload began.
 */
@LocalCloudTest
class GeminiCreateClaimTest {
  @Fixture private SubmitFixture fx;

  @Test
  void aCreateWhoseFileOutlastedItsClaimSendsNoSecondBatchAfterPollRecoveredTheShard(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
    Blob blob =
        fx.upload("incoming/slow-file.jsonl", lines(2), Map.of("batchdrop-backend", "gemini-api"));
    UploadedObject object = FinalizeEvent.parse(finalized(blob));
    String jobId = runId(blob).value() + "-s1-a1";
    SetClock clock = new SetClock(Instant.now());
    // submit's upload stays PROCESSING (a large shard) until the test ends its processing.
    cloud.geminiEmulator().knobs().processNextUploads(1, Integer.MAX_VALUE);
    ExecutorService submitInstance = Executors.newSingleThreadExecutor();
    ExecutorService pollInstance = Executors.newSingleThreadExecutor();
    try {
      Future<?> delivery =
          submitInstance.submit(
              () -> {
                fx.submitter(clock).handle(object);
                return null;
              });
      cloud.geminiEmulator().awaitProcessing(1, Duration.ofSeconds(30));
      // Its create claim runs out while it waits; poll finds the job CREATING past its claim and
      // recovers it, as PollFunction does: no batch by that name yet, so it takes the file submit
      // uploaded and, once that is ACTIVE, creates.
      clock.advance(Duration.ofMinutes(10));
      CloudClients poll = fx.clients();
      DocumentSnapshot creating = poll.firestore().collection("jobs").document(jobId).get().get();
      Future<Boolean> recovered =
          pollInstance.submit(() -> recovery(poll, clock).recover(creating, "poll-call"));
      cloud.geminiEmulator().finishProcessing();
      assertThat(recovered.get(60, TimeUnit.SECONDS)).isTrue();

      try {
        delivery.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        fx.submitter(clock).handle(object); // Eventarc redelivers it
      }
    } finally {
      submitInstance.shutdownNow();
      pollInstance.shutdownNow();
    }

    assertThat(cloud.geminiEmulator().batchesCreated())
        .as("batches ever created for the one shard, a duplicate deleted later included")
        .isEqualTo(1);
    assertThat(batchesNamed(cloud, jobId)).hasSize(1);
    assertThat(fx.jobsOf(blob).get(0).getString("vertexName"))
        .isEqualTo(batchesNamed(cloud, jobId).get(0));
    assertThat(fx.run(blob).getString("state")).isIn("SUBMITTED", "RUNNING");
  }

  @Test
  void aRecoveryOnAnotherInstanceCreatesTheBatchFromTheFileAnEarlierCreateUploadedNotANewUpload(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
    Blob blob =
        fx.upload(
            "incoming/slow-upload.jsonl", lines(2), Map.of("batchdrop-backend", "gemini-api"));
    UploadedObject object = FinalizeEvent.parse(finalized(blob));
    String jobId = runId(blob).value() + "-s1-a1";
    SetClock clock = new SetClock(Instant.now());
    // A large shard: uploaded, its file is PROCESSING until past the create's claim, so that
    // create gives up before its batch (as one whose upload and ACTIVE wait outlast any claim).
    cloud.geminiEmulator().knobs().processNextUploads(1, Integer.MAX_VALUE);
    ExecutorService submitInstance = Executors.newSingleThreadExecutor();
    try {
      Future<?> delivery =
          submitInstance.submit(
              () -> {
                fx.submitter(clock).handle(object);
                return null;
              });
      cloud.geminiEmulator().awaitProcessing(1, Duration.ofSeconds(30));
      clock.advance(Duration.ofMinutes(10));
      cloud.geminiEmulator().finishProcessing();
      try {
        delivery.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // the create gave up: its claim ran out while the file was processed
      }
    } finally {
      submitInstance.shutdownNow();
    }
    assertThat(batchesNamed(cloud, jobId)).isEmpty();

    // Poll, on an instance of its own, recovers the shard left CREATING.
    CloudClients poll = fx.clients();
    DocumentSnapshot creating = poll.firestore().collection("jobs").document(jobId).get().get();
    assertThat(creating.getString("state")).isEqualTo("CREATING");
    assertThat(recovery(poll, clock).recover(creating, "poll-call")).isTrue();

    assertThat(filesNamed(cloud, jobId))
        .as("files uploaded for the one shard: each is up to 1 GB of the project's 20 GB")
        .hasSize(1);
    assertThat(batchesNamed(cloud, jobId)).hasSize(1);
  }

  private static JobSubmission recovery(CloudClients clients, SetClock clock) {
    return new JobSubmission(
        clients.firestore(),
        clients.jobCreators(JobCreator.Backoff.SLEEP, clock),
        clients.config(),
        new EventPublisher(clients.publisher(clients.config().topics().events()), clock),
        clock);
  }

  /** The names of the uploaded files with this display name, from the emulator's list. */
  private static List<String> filesNamed(LocalCloud cloud, String displayName) throws Exception {
    List<String> names = new ArrayList<>();
    for (JsonNode file : list(cloud, "files").path("files")) {
      if (displayName.equals(file.path("displayName").asText())) {
        names.add(file.path("name").asText());
      }
    }
    return names;
  }

  private static JsonNode list(LocalCloud cloud, String collection) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            cloud.geminiEmulator().baseUri()
                                + "/v1beta/"
                                + collection
                                + "?pageSize=100"))
                    .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(answer.body());
  }

  /** The names of the batches with this display name, from the emulator's list. */
  private static List<String> batchesNamed(LocalCloud cloud, String displayName) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            cloud.geminiEmulator().baseUri() + "/v1beta/batches?pageSize=100"))
                    .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    for (JsonNode operation : new ObjectMapper().readTree(answer.body()).path("operations")) {
      if (displayName.equals(operation.path("metadata").path("displayName").asText())) {
        names.add(operation.path("name").asText());
      }
    }
    return names;
  }
}
