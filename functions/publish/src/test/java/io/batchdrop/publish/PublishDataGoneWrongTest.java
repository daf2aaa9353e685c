package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
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
