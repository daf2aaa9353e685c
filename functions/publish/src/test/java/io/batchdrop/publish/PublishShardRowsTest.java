package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static io.batchdrop.publish.PublishOutputChangedTest.outputFiles;
import static io.batchdrop.publish.PublishOutputChangedTest.rewrite;
import static io.batchdrop.publish.PublishOutputChangedTest.statusByRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Which rows of its span are a job's, known without a pass over its staged shard when the
 * checkpoints of earlier attempts and {@code invalid.jsonl} tell: the shard is made unreadable here
 * once its job has run, so a pass over it would fail the delivery.
 */
@LocalCloudTest
class PublishShardRowsTest {
  @Fixture private PublishFixture fx;

  @Test
  void aRetryAttemptsRowsComeFromTheEarlierAttemptsCheckpointNotItsShard(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("retried.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage first = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    HandOffMessage second = fx.finishJobs(run).get(0);
    assertThat(second.jobId()).endsWith("-a2");
    spoilStaged(cloud, second.jobId());
    // A line labelled with the row attempt 1 answered: not attempt 2's.
    Blob output = outputFiles(cloud, second).get(0);
    String text = new String(output.getContent(), StandardCharsets.UTF_8);
    rewrite(cloud, output, text + relabelled(text, 2, 1));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(second));
    }

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
    assertThat(fx.run(run).get("problem")).isNull();
    assertThat(fx.jobs(run).stream().filter(j -> j.getId().equals(second.jobId())).findFirst())
        .get()
        .satisfies(j -> assertThat(j.getLong("publish.counts.unattributed")).isEqualTo(1));
  }

  @Test
  void aFirstAttemptsRowsBesideInvalidOnesComeFromInvalidJsonlNotItsShard(LocalCloud cloud)
      throws Exception {
    StringBuilder file = new StringBuilder(line("one")).append(PublishStagedGoneTest.INVALID);
    for (int i = 3; i <= 30; i++) {
      file.append(line("a longer prompt that makes the staged shard the larger object " + i));
    }
    RunId run = fx.submit("beside-invalid.jsonl", file.toString());
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    spoilStaged(cloud, handOff.jobId());
    Blob output = outputFiles(cloud, handOff).get(0);
    String text = new String(output.getContent(), StandardCharsets.UTF_8);
    rewrite(cloud, output, text + relabelled(text, 1, 2));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    Map<String, String> status = statusByRow(fx.resultsAtLeast(30));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(status).hasSize(30).containsEntry("2", "invalid");
    assertThat(status).allSatisfy((row, s) -> assertThat(s).isIn("succeeded", "invalid"));
    assertThat(fx.jobs(run).get(0).getLong("publish.counts.unattributed")).isEqualTo(1);
    assertThat(fx.run(run).get("problem")).isNull();
  }

  /** The output line of row {@code from}, labelled as row {@code to}. */
  private static String relabelled(String output, long from, long to) {
    for (String line : output.split("\n")) {
      if (line.matches(".*\"batchdrop_row\"\\s*:\\s*\"row-" + from + "\".*")) {
        return line.replaceAll(
                "\"batchdrop_row\"\\s*:\\s*\"row-" + from + "\"",
                "\"batchdrop_row\": \"row-" + to + "\"")
            + "\n";
      }
    }
    throw new AssertionError("no output line of row " + from);
  }

  /**
   * The job has run: its staged shard becomes bytes no pass over it can read (more of them than
   * {@code invalid.jsonl} holds, which is then the cheaper source).
   */
  private void spoilStaged(LocalCloud cloud, String jobId) throws Exception {
    String input =
        fx.jobs(io.batchdrop.cloud.run.JobId.parse(jobId).run()).stream()
            .filter(j -> j.getId().equals(jobId))
            .findFirst()
            .orElseThrow()
            .getString(JobDoc.INPUT_URI);
    GcsLocation staged = GcsLocation.parse(input);
    cloud
        .storage()
        .create(
            BlobInfo.newBuilder(staged.bucket(), staged.prefix()).build(),
            "not a staged line\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
  }
}
