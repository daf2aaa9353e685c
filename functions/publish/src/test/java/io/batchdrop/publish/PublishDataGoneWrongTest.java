package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Publishing when the data is not what it expects: objects gone, output lines hostile. */
@LocalCloudTest
class PublishDataGoneWrongTest {
  @Fixture private PublishFixture fx;

  @Test
  void aStagedShardDeletedBeforePublishStillGivesEveryRowOneOutcomeAndClosesTheRun(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("gone.jsonl", line("kept") + line("[vertex:missing] lost"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    String input = fx.jobs(run).get(0).getString(JobDoc.INPUT_URI);
    GcsLocation staged = GcsLocation.parse(input);
    assertThat(cloud.storage().delete(BlobId.of(staged.bucket(), staged.prefix()))).isTrue();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    Map<String, String> status = statusByRow(fx.results(2));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(status)
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "missing")));
    assertThat(fx.jobs(run).get(0).getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    assertThat(fx.run(run).getString("state")).isEqualTo("PARTIAL");
  }

  @Test
  void aStagedShardDeletedBeforePublishEndsOnlyTheShardsRowsNotTheInvalidOnesBetweenThem(
      LocalCloud cloud) throws Exception {
    String invalid =
        "{\"request\": {\"contents\": [{\"role\": \"tester\", \"parts\": [{\"text\": \"x\"}]}]}}\n";
    RunId run = fx.submit("gone-gap.jsonl", line("kept") + invalid + line("[vertex:missing] lost"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    GcsLocation staged = GcsLocation.parse(fx.jobs(run).get(0).getString(JobDoc.INPUT_URI));
    assertThat(cloud.storage().delete(BlobId.of(staged.bucket(), staged.prefix()))).isTrue();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    List<PubsubMessage> results = fx.results(3);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(statusByRow(results))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("1", "succeeded", "2", "invalid", "3", "missing")));
    PubsubMessage lost =
        results.stream().filter(m -> m.getAttributesOrThrow("row").equals("3")).findFirst().get();
    assertThat(PublishFixture.data(lost).path("error").path("code").asText())
        .isEqualTo("staged_input_gone");
    assertThat(fx.run(run).getString("state")).isEqualTo("PARTIAL");
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void tokenCountsTooLargeForAnyResponseCountZeroInsteadOfStoppingThePublish(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("tokens.jsonl", line("one") + line("two") + line("three"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    rewriteOutput(
        cloud,
        handOff,
        text ->
            text.replaceAll(
                "\"promptTokenCount\"\\s*:\\s*\\d+", "\"promptTokenCount\": 5000000000000000000"));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    assertThat(statusByRow(fx.results(3)))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded", "3", "succeeded")));
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
    assertThat(fx.run(run).getLong("tokens.prompt")).isZero();
  }

  @Test
  void anOutputLineLabelledWithARowOutsideTheShardNeitherAnswersItNorHidesAMissingRow(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "1"));
    String invalid =
        "{\"request\": {\"contents\": [{\"role\": \"tester\", \"parts\": [{\"text\": \"x\"}]}]}}\n";
    RunId run = fx.submit("foreign.jsonl", line("one") + invalid + line("[vertex:missing] three"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    rewriteOutput(
        cloud,
        handOff,
        text ->
            text
                + text.replace("\"batchdrop_row\": \"row-1\"", "\"batchdrop_row\": \"row-2\"")
                    .replace("\"batchdrop_row\":\"row-1\"", "\"batchdrop_row\":\"row-2\""));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    List<PubsubMessage> results = fx.results(3);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(statusByRow(results))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("1", "succeeded", "2", "invalid", "3", "missing")));
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void anOutputLineOfALaterAttemptLabelledWithARowAnEarlierAttemptAnsweredIsNotPublishedAgain(
      LocalCloud cloud) throws Exception {
    RunId run = fx.submit("again.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage first = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    HandOffMessage second = fx.finishJobs(run).get(0);
    assertThat(second.jobId()).endsWith("-a2");
    rewriteOutput(
        cloud,
        second,
        text ->
            text
                + text.replace("\"batchdrop_row\": \"row-2\"", "\"batchdrop_row\": \"row-1\"")
                    .replace("\"batchdrop_row\":\"row-2\"", "\"batchdrop_row\":\"row-1\""));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(second));
    }

    assertThat(statusByRow(fx.results(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).getLong("counts.succeeded")).isEqualTo(2);
    assertThat(fx.run(run).get("problem")).isNull();

    Map<String, String> replayed = new TreeMap<>();
    new RunReplay(cloud.storage(), fx.config(), java.time.Clock.systemUTC())
        .replay(
            fx.run(run),
            new java.util.ArrayList<>(fx.jobs(run)),
            (row, status, m) ->
                replayed.put(m.getAttributesOrThrow("dedup_id"), m.getAttributesOrThrow("status")));
    assertThat(replayed)
        .as("replay sends what publish sent")
        .containsExactly(
            Map.entry(run.value() + "/1/1", "succeeded"),
            Map.entry(run.value() + "/2/2", "succeeded"));
  }

  /** Rewrites every prediction file of the job through {@code edit}, as a new generation. */
  private static void rewriteOutput(
      LocalCloud cloud, HandOffMessage handOff, UnaryOperator<String> edit) {
    GcsLocation out = GcsLocation.parse(handOff.outputDirectory());
    for (Blob blob :
        cloud
            .storage()
            .list(out.bucket(), Storage.BlobListOption.prefix(out.directory()))
            .iterateAll()) {
      if (blob.getName().endsWith(".jsonl")) {
        String text = new String(blob.getContent(), StandardCharsets.UTF_8);
        String edited = edit.apply(text);
        assertThat(edited).as("the edit changed " + blob.getName()).isNotEqualTo(text);
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder(blob.getBucket(), blob.getName()).build(),
                edited.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static Map<String, String> statusByRow(List<PubsubMessage> results) {
    return results.stream()
        .collect(
            Collectors.toMap(
                m -> m.getAttributesOrThrow("row"),
                m -> m.getAttributesOrThrow("status"),
                (a, b) -> a + "," + b,
                TreeMap::new));
  }
}
