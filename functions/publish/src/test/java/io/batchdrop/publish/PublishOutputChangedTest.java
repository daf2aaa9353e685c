package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The job's output changes between two invocations of one publish (a time-budget continuation, a
 * crash's redelivery): the checkpoint's byte offset must never land on other bytes.
 */
@LocalCloudTest
class PublishOutputChangedTest {
  @Fixture private PublishFixture fx;

  @Test
  void anOutputFileRewrittenBetweenTwoInvocationsIsReadAgainAndEveryRowEndsOnce(LocalCloud cloud)
      throws Exception {
    fx.configure(
        Map.of(
            "BATCHDROP_PUBLISH_BUDGET_SECONDS", "10",
            "BATCHDROP_PUBLISH_WINDOW_ROWS", "3",
            "BATCHDROP_MAX_ATTEMPTS", "1"));
    RunId run = fx.submit("rewritten.jsonl", lines(12, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.publisher(new SteppingClock(Duration.ofSeconds(1))).handle(handOff);
    List<PubsubMessage> continuation = fx.completions(1, PublishFixture.WAIT);
    assertThat(continuation).as("the first invocation ran out of time").hasSize(1);
    assertThat(fx.jobs(run).get(0).getLong("publish.offset")).isPositive();

    // The same lines in another order, as a new generation: the offset is now in other bytes.
    List<Blob> files = outputFiles(cloud, handOff);
    assertThat(files).hasSize(1);
    rewrite(cloud, files.get(0), reversed(files.get(0)));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(continuation.get(0)));
    }

    Map<String, String> status = statusByRow(fx.resultsAtLeast(12));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(status).hasSize(12).allSatisfy((row, s) -> assertThat(s).isEqualTo("succeeded"));
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void anEarlierOutputFileDeletedBetweenTwoInvocationsLosesNoRowOfTheFilesAfterIt(LocalCloud cloud)
      throws Exception {
    cloud.vertexEmulator().knobs().outputFiles(3);
    fx.configure(
        Map.of(
            "BATCHDROP_PUBLISH_BUDGET_SECONDS", "20",
            "BATCHDROP_PUBLISH_WINDOW_ROWS", "2",
            "BATCHDROP_MAX_ATTEMPTS", "1"));
    RunId run = fx.submit("deleted.jsonl", lines(24, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.publisher(new SteppingClock(Duration.ofSeconds(1))).handle(handOff);
    List<PubsubMessage> continuation = fx.completions(1, PublishFixture.WAIT);
    assertThat(continuation).as("the first invocation ran out of time").hasSize(1);
    assertThat(fx.jobs(run).get(0).getLong("publish.file"))
        .as("the first invocation stopped after the first file")
        .isPositive();

    // The first file was read through: its rows have their messages.
    List<Blob> files = outputFiles(cloud, handOff);
    assertThat(files).hasSize(3);
    assertThat(cloud.storage().delete(files.get(0).getBlobId())).isTrue();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(continuation.get(0)));
    }

    Map<String, String> status = statusByRow(fx.resultsAtLeast(24));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(status).hasSize(24).allSatisfy((row, s) -> assertThat(s).isEqualTo("succeeded"));
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aJobWhoseOutputWasDeletedAfterItWasPublishedIsNotReplayedAsMissing(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("deleted-later.jsonl", lines(3, "row"));
    fx.publishUntilClosed(run);
    assertThat(fx.results(3)).hasSize(3);
    HandOffMessage handOff = HandOffMessage.from(fx.jobs(run).get(0));
    for (Blob file : outputFiles(cloud, handOff)) {
      assertThat(cloud.storage().delete(file.getBlobId())).isTrue();
    }

    Map<String, String> replayed = new TreeMap<>();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new RunReplay(cloud.storage(), fx.config(), java.time.Clock.systemUTC())
                    .replay(
                        fx.run(run),
                        new ArrayList<>(fx.jobs(run)),
                        (row, status, m) ->
                            replayed.put(m.getAttributesOrThrow("row"), status.label())))
        .isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("output")
        .hasMessageContaining(handOff.jobId());
    assertThat(replayed).as("no row replayed as missing").doesNotContainValue("missing");
  }

  static List<Blob> outputFiles(LocalCloud cloud, HandOffMessage handOff) {
    GcsLocation out = GcsLocation.parse(handOff.outputDirectory());
    List<Blob> files = new ArrayList<>();
    for (Blob blob :
        cloud
            .storage()
            .list(out.bucket(), Storage.BlobListOption.prefix(out.directory()))
            .iterateAll()) {
      if (blob.getName().endsWith(".jsonl") && !blob.getName().contains("/incremental_")) {
        files.add(blob);
      }
    }
    files.sort((a, b) -> a.getName().compareTo(b.getName()));
    return files;
  }

  static String reversed(Blob file) {
    List<String> lines =
        new ArrayList<>(List.of(new String(file.getContent(), StandardCharsets.UTF_8).split("\n")));
    Collections.reverse(lines);
    return String.join("\n", lines) + "\n";
  }

  static void rewrite(LocalCloud cloud, Blob file, String content) {
    Blob written =
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder(file.getBucket(), file.getName()).build(),
                content.getBytes(StandardCharsets.UTF_8));
    assertThat(written.getGeneration()).isNotEqualTo(file.getGeneration());
  }

  /** Each row's statuses, joined when a row got more than one message. */
  static Map<String, String> statusByRow(List<PubsubMessage> results) {
    return results.stream()
        .collect(
            Collectors.toMap(
                m -> m.getAttributesOrThrow("row"),
                m -> m.getAttributesOrThrow("status"),
                (a, b) -> a.equals(b) ? a : a + "," + b,
                TreeMap::new));
  }
}
