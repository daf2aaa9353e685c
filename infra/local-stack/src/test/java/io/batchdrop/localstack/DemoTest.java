package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code ./batchdrop demo} on the local cloud: the sample goes from upload through submit, poll,
 * publish and a retry to a closed run, every row with exactly one outcome.
 */
@LocalCloudTest
class DemoTest {

  @Test
  void everyRowOfTheSampleComesBackOnceAndTheRunClosesWithCountsTokensAndCost(LocalCloud cloud)
      throws Exception {
    byte[] sample;
    try (InputStream in = Demo.class.getResourceAsStream("/sample.jsonl")) {
      sample = in.readAllBytes();
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Demo.Outcome outcome;
    try (LocalStack stack = LocalStack.deploy(cloud, Demo.settings(Demo.DEFAULT_INVALID_RATIO))) {
      outcome =
          new Demo(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
              .run("sample.jsonl", sample);
      assertThat(stack.logs())
          .doesNotContain("Say hello in one word"); // no request contents in logs
    }

    assertThat(outcome.runState()).isEqualTo("PARTIAL");
    Map<String, String> outcomes =
        outcome.results().stream()
            .collect(
                Collectors.toMap(
                    m -> m.getAttributesOrThrow("row"),
                    m -> m.getAttributesOrThrow("status") + "@" + m.getAttributesOrThrow("attempt"),
                    (a, b) -> a + "," + b,
                    TreeMap::new));
    assertThat(outcomes)
        .as("one outcome per row")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "1", "succeeded@1",
                "2", "succeeded@1",
                "3", "succeeded@1",
                "4", "succeeded@1",
                "5", "failed@1",
                "6", "invalid@0",
                "7", "invalid@0",
                "8", "succeeded@1",
                "9", "succeeded@2"));
    assertThat(outcome.eventTypes())
        .containsSubsequence("run.accepted", "job.submitted", "job.state_changed", "run.completed");
    assertThat(outcome.run().getLong("counts.succeeded")).isEqualTo(6);
    assertThat(outcome.run().getLong("counts.rows")).isEqualTo(9);
    assertThat(outcome.run().getLong("tokens.total")).isPositive();
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("key greeting-en  attempt 1  succeeded echo: Say hello in one word.")
        .contains("key busy-1       attempt 2  succeeded")
        .contains("state PARTIAL");

    JsonNode json = new ObjectMapper().readTree(Demo.toJson(outcome));
    assertThat(json.path("run").path("state").asText()).isEqualTo("PARTIAL");
    assertThat(json.path("results")).hasSize(9);
    PubsubMessage first = outcome.results().get(0);
    assertThat(json.path("results").get(0).path("attributes").path("dedup_id").asText())
        .isEqualTo(first.getAttributesOrThrow("dedup_id"));
    assertThat(json.path("events").toString()).contains("run.completed");
  }
}
