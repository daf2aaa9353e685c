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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code ./batchdrop demo} on the local cloud: the sample goes from upload through submit, poll,
 * publish and a retry to a closed run, every row with exactly one outcome.
 */
@LocalCloudTest
@Tag("system")
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

  /**
   * A file bigger than the demo pulls while the run goes on: every row's result is still in the
   * report and the JSON, not only those pulled before the run closed.
   */
  @Test
  void everyRowOfABigFileIsReportedNotOnlyThosePulledBeforeTheRunClosed(LocalCloud cloud)
      throws Exception {
    int rows = 10_000;
    StringBuilder file = new StringBuilder();
    for (int i = 1; i <= rows; i++) {
      file.append(row("k" + i, "row " + i));
    }
    Demo.Outcome outcome;
    try (LocalStack stack = LocalStack.deploy(cloud, Demo.settings(Demo.DEFAULT_INVALID_RATIO))) {
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      outcome =
          new Demo(stack, quiet).run("big.jsonl", file.toString().getBytes(StandardCharsets.UTF_8));
    }

    assertThat(outcome.runState()).isEqualTo("SUCCEEDED");
    assertThat(outcome.results().stream().map(m -> m.getAttributesOrThrow("row")).distinct())
        .as("rows with a result")
        .hasSize(rows);
    assertThat(outcome.eventTypes()).endsWith("run.completed");
    assertThat(new ObjectMapper().readTree(Demo.toJson(outcome)).path("results")).hasSize(rows);
  }

  /**
   * The holdout: the same file on the Vertex AI emulator and on the Gemini API emulator, in one
   * stack that allows both, gives every key the same outcome (only rules that hold on both backends
   * are in the file: backend-specific validation differs by design).
   */
  @Test
  void theSameFileGivesEveryKeyTheSameOutcomeOnBothBackends(LocalCloud cloud) throws Exception {
    String file =
        row("hello", "Say hello in one word.")
            + "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"no key\"}]}]}}\n"
            + row("broken", "[vertex:fail-400] a refused row")
            + row("busy", "[vertex:fail-429-once] later")
            + "{\"key\":\"bad-role\",\"request\":{\"contents\":[{\"role\":\"tester\",\"parts\":[{\"text\":\"x\"}]}]}}\n";
    byte[] content = file.getBytes(StandardCharsets.UTF_8);
    Map<String, String> vertex;
    Map<String, String> gemini;
    try (LocalStack stack =
        LocalStack.deploy(cloud, Demo.settings(Demo.DEFAULT_INVALID_RATIO, "vertex"))) {
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      vertex = byKey(new Demo(stack, quiet).run("holdout-vertex.jsonl", content));
      gemini =
          byKey(
              new Demo(stack, quiet)
                  .run("holdout-gemini.jsonl", content, Map.of("batchdrop-backend", "gemini-api")));
    }

    assertThat(vertex)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "hello", "succeeded",
                "row-2", "succeeded",
                "broken", "failed",
                "busy", "succeeded",
                "bad-role", "invalid"));
    assertThat(gemini).as("the Gemini API run, key by key").isEqualTo(vertex);
  }

  /**
   * What a row carries never reaches a log line of any function (submit, poll, poll-slices,
   * publish), on either backend: a marker in prompts (the emulators echo them in the answer), in a
   * refused row, in a key, and in the values, field names and bare words that invalid rows'
   * findings quote.
   */
  @Test
  void noFunctionLogsARowsPromptAnswerKeyOrTheTextItsFindingsQuoteOnEitherBackend(LocalCloud cloud)
      throws Exception {
    String marker = "canary-3f9b";
    StringBuilder file = new StringBuilder();
    file.append(row(marker + "-key", "Repeat " + marker + "-prompt back."));
    file.append(row("refused", "[vertex:fail-400] " + marker + "-refused"));
    for (int i = 1; i <= 6; i++) {
      file.append(row("plain-" + i, "row " + i));
    }
    file.append(
        "{\"key\":\"bad-role\",\"request\":{\"contents\":[{\"role\":\""
            + marker
            + "-role\",\"parts\":[{\"text\":\"x\"}]}]}}\n");
    file.append(
        "{\"key\":\"bad-field\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":"
            + "[{\"text\":\"x\",\""
            + marker
            + "-field\":1}]}]}}\n");
    file.append(marker + "-bare words, not JSON\n");
    byte[] content = file.toString().getBytes(StandardCharsets.UTF_8);
    Map<String, String> vertex;
    Map<String, String> gemini;
    String logs;
    try (LocalStack stack =
        LocalStack.deploy(cloud, Demo.settings(Demo.DEFAULT_INVALID_RATIO, "vertex"))) {
      PrintStream quiet =
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
      vertex = byKey(new Demo(stack, quiet).run("marker-vertex.jsonl", content));
      gemini =
          byKey(
              new Demo(stack, quiet)
                  .run("marker-gemini.jsonl", content, Map.of("batchdrop-backend", "gemini-api")));
      logs = stack.logs();
    }

    assertThat(vertex)
        .as("both paths ran: answered, refused and invalid rows")
        .containsEntry(marker + "-key", "succeeded")
        .containsEntry("refused", "failed")
        .containsEntry("bad-role", "invalid")
        .containsEntry("bad-field", "succeeded") // an unknown field is a warning
        .containsEntry("row-11", "invalid");
    assertThat(gemini).as("the Gemini API run, key by key").isEqualTo(vertex);
    assertThat(logs.lines())
        .as("the functions' log lines")
        .hasSizeGreaterThan(20)
        .noneMatch(line -> line.contains(marker));
  }

  private static String row(String key, String prompt) {
    return "{\"key\":\""
        + key
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + prompt
        + "\"}]}]}}\n";
  }

  private static Map<String, String> byKey(Demo.Outcome outcome) {
    return outcome.results().stream()
        .collect(
            Collectors.toMap(
                m -> m.getAttributesOrThrow("key"),
                m -> m.getAttributesOrThrow("status"),
                (a, b) -> a + "," + b,
                TreeMap::new));
  }
}
