package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Files API keeps 20 GB per project for 48 h: a shard uploaded for a Gemini API batch is
 * deleted once the batch is finished and its responses are in the work bucket.
 */
@LocalCloudTest
class GeminiInputFileTest {
  @Fixture private PollFixture fx;

  @BeforeEach
  void allowTheGeminiApi() {
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
  }

  @Test
  void theUploadedInputOfAFinishedBatchIsDeletedOnceItsResponsesAreCopied(LocalCloud cloud)
      throws Exception {
    JobId jobId = geminiJobLeftCreating(cloud);
    fx.poll(); // recovers it: uploads the shard and creates the batch, which the emulator finishes
    assertThat(filesNamed(cloud, jobId)).as("the shard's upload").hasSize(1);

    fx.dueNow(new Tracked(jobId, fx.job(jobId).getString(JobDoc.VERTEX_NAME)));
    fx.poll();

    assertThat(fx.job(jobId).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_SUCCEEDED");
    assertThat(responsesCopied(cloud, jobId)).isTrue();
    assertThat(filesNamed(cloud, jobId)).isEmpty();
  }

  @Test
  void aRefusedDeleteLeavesTheFileToItsExpiryAndTheFinishedJobIsStillHandedOff(LocalCloud cloud)
      throws Exception {
    JobId jobId = geminiJobLeftCreating(cloud);
    fx.poll();
    cloud.geminiEmulator().knobs().failNextFileDeletes(1, 503);

    fx.dueNow(new Tracked(jobId, fx.job(jobId).getString(JobDoc.VERTEX_NAME)));
    PollSummary summary = fx.poll();

    assertThat(summary.errors()).isZero();
    assertThat(fx.job(jobId).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_SUCCEEDED");
    assertThat(fx.job(jobId).get(JobDoc.HANDOFF_AT)).isNotNull();
    assertThat(responsesCopied(cloud, jobId)).isTrue();
    assertThat(filesNamed(cloud, jobId)).as("left to the Files API's 48 h expiry").hasSize(1);
  }

  private JobId geminiJobLeftCreating(LocalCloud cloud) throws Exception {
    JobId jobId = fx.leftCreating(fx.run(), 1);
    fx.update(jobId, JobDoc.BACKEND, "gemini-api");
    // Staged as submit stages it: each request labelled with its row.
    StringBuilder lines = new StringBuilder();
    for (int row = 1; row <= 2; row++) {
      lines
          .append("{\"key\":\"row-")
          .append(row)
          .append("\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":")
          .append("\"prompt\"}]}],\"labels\":{\"batchdrop_row\":\"row-")
          .append(row)
          .append("\"}}}\n");
    }
    cloud
        .storage()
        .create(
            BlobInfo.newBuilder(
                    LocalDeployment.WORK, new WorkLayout(LocalDeployment.WORK).inputObject(jobId))
                .build(),
            lines.toString().getBytes(StandardCharsets.UTF_8));
    return jobId;
  }

  private boolean responsesCopied(LocalCloud cloud, JobId jobId) throws Exception {
    String prefix = fx.job(jobId).getString(JobDoc.OUTPUT_URI_PREFIX);
    String object = prefix.substring(("gs://" + LocalDeployment.WORK + "/").length());
    return cloud.storage().get(LocalDeployment.WORK, object + "predictions.jsonl") != null;
  }

  /** The names of the files the Files API holds with this display name. */
  private static List<String> filesNamed(LocalCloud cloud, JobId jobId) throws Exception {
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(cloud.geminiEmulator().baseUri() + "/v1beta/files?pageSize=100"))
                    .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    for (JsonNode file : PollFixture.json(answer.body()).path("files")) {
      if (jobId.value().equals(file.path("displayName").asText())) {
        names.add(file.path("name").asText());
      }
    }
    return names;
  }
}
