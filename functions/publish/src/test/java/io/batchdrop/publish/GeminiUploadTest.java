package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
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
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shards whose Gemini copy is exactly the SDK's 8 MiB upload chunk, and one byte more: the first
 * breaks the SDK's chunk loop unless the stream answers 0 at its end, the second needs two chunks.
 * Both must arrive whole.
 */
@LocalCloudTest
class GeminiUploadTest {
  private static final int CHUNK = 8 * 1024 * 1024;
  @Fixture private PublishFixture fx;
  private LocalCloud cloud;

  @BeforeEach
  void deploy(LocalCloud cloud) {
    this.cloud = cloud;
    fx.configure(
        Map.of(
            "BATCHDROP_ALLOWED_BACKENDS",
            "vertex,gemini-api",
            "BATCHDROP_MAX_LINE_BYTES",
            String.valueOf(16 << 20)));
  }

  @Test
  void aShardOfExactlyEightMebibytesArrivesWhole() throws Exception {
    assertThat(uploadedBytes(CHUNK, "a")).isEqualTo(CHUNK);
  }

  @Test
  void aShardOfEightMebibytesAndOneByteArrivesWhole() throws Exception {
    assertThat(uploadedBytes(CHUNK + 1, "b")).isEqualTo(CHUNK + 1);
  }

  /** Stages one line whose Gemini copy is {@code size} bytes, creates its batch, sizes the file. */
  private long uploadedBytes(int size, String seed) throws Exception {
    String head =
        "{\"key\":\"row-1\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"";
    String tail = "\"}]}]}}";
    String text = seed.repeat(size - 1 - head.length() - tail.length());
    String staged = head + text + "\"}]}],\"labels\":{\"batchdrop_row\":\"row-1\"}}}\n";
    RunId run = RunId.of("inbox", "upload-" + seed + ".jsonl", 1);
    JobId job = new JobId(run, 1, 1);
    WorkLayout layout = new WorkLayout(LocalDeployment.WORK);
    cloud
        .storage()
        .create(
            BlobInfo.newBuilder(LocalDeployment.WORK, layout.inputObject(job)).build(),
            staged.getBytes(StandardCharsets.UTF_8));
    try (CloudClients clients = new CloudClients(fx.config())) {
      BatchBackend gemini = clients.backends().get("gemini-api");
      BatchPredictionJob batch =
          gemini.create(
              new JobSpec(
                  job,
                  fx.config().modelResource("gemini-2.5-flash"),
                  layout.inputUri(job),
                  layout.outputUriPrefix(job)),
              () -> true); // no create claim: nobody else creates this job
      assertThat(batch.getDisplayName()).isEqualTo(job.value());
    }
    HttpResponse<String> files =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(cloud.geminiEmulator().baseUri() + "/v1beta/files?pageSize=100"))
                    .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode list = new ObjectMapper().readTree(files.body());
    for (JsonNode file : list.path("files")) {
      if (job.value().equals(file.path("displayName").asText())) {
        return Long.parseLong(file.path("sizeBytes").asText());
      }
    }
    throw new AssertionError("no uploaded file for " + job.value() + ": " + files.body());
  }
}
