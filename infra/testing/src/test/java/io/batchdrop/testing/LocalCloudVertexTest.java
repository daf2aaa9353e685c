package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.GcsDestination;
import com.google.cloud.aiplatform.v1.GcsSource;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.aiplatform.v1.LocationName;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end through both in-process emulators: input in storage, job in Vertex, output in storage.
 */
@LocalCloudTest
class LocalCloudVertexTest {

  private static final String INPUT =
      """
      {"key":"a","request":{"contents":[{"role":"user","parts":[{"text":"hello"}]}]}}
      {"key":"b","request":{"contents":[{"role":"user","parts":[{"text":"world"}]}]}}
      """;

  @Test
  void aBatchJobReadsItsInputFromStorageAndWritesPredictionsThere(LocalCloud cloud) {
    cloud.storage().create(BucketInfo.of("work"));
    cloud
        .storage()
        .create(
            BlobInfo.newBuilder("work", "runs/r1/input/job.jsonl").build(),
            INPUT.getBytes(StandardCharsets.UTF_8));

    BatchPredictionJob created =
        cloud
            .jobService()
            .createBatchPredictionJob(
                LocationName.of(cloud.projectId(), "us-central1"),
                BatchPredictionJob.newBuilder()
                    .setDisplayName("r1-s1-a1")
                    .setModel("publishers/google/models/gemini-2.5-flash")
                    .setInputConfig(
                        BatchPredictionJob.InputConfig.newBuilder()
                            .setInstancesFormat("jsonl")
                            .setGcsSource(
                                GcsSource.newBuilder()
                                    .addUris("gs://work/runs/r1/input/job.jsonl")))
                    .setOutputConfig(
                        BatchPredictionJob.OutputConfig.newBuilder()
                            .setPredictionsFormat("jsonl")
                            .setGcsDestination(
                                GcsDestination.newBuilder()
                                    .setOutputUriPrefix("gs://work/runs/r1/output/job")))
                    .build());
    BatchPredictionJob job = cloud.jobService().getBatchPredictionJob(created.getName());

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(2);
    String outputDirectory = job.getOutputInfo().getGcsOutputDirectory();
    assertThat(outputDirectory).startsWith("gs://work/runs/r1/output/job/prediction-model-");
    assertThat(predictionLines(cloud.storage(), outputDirectory))
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).contains("\"key\":\"a\"", "echo: hello"))
        .anySatisfy(line -> assertThat(line).contains("\"key\":\"b\"", "echo: world"));
  }

  private static List<String> predictionLines(Storage storage, String gcsDirectory) {
    String prefix = gcsDirectory.substring("gs://work/".length()) + "/";
    List<String> lines = new ArrayList<>();
    for (Blob blob : storage.list("work", Storage.BlobListOption.prefix(prefix)).iterateAll()) {
      if (blob.getName().endsWith(".jsonl")) {
        String content =
            new String(
                storage.readAllBytes(BlobId.of("work", blob.getName())), StandardCharsets.UTF_8);
        content.lines().filter(line -> !line.isBlank()).forEach(lines::add);
      }
    }
    return lines;
  }
}
