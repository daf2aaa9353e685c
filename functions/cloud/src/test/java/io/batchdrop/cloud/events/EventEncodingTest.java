package io.batchdrop.cloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every event record is one CloudEvent shape: what subscribers filter and parse. */
class EventEncodingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final EventPublisher events =
      new EventPublisher(null, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));

  private JsonNode envelope(PubsubMessage message) throws Exception {
    return JSON.readTree(message.getData().toByteArray());
  }

  @Test
  void aRunEventCarriesItsTypeAndRunAsAttributesAndNoJob() throws Exception {
    PubsubMessage message =
        events.message(
            new RunAccepted("0123456789abcdef0123", "gs://in/f.jsonl", "m", 2, 10, 8, 2, null));

    assertThat(message.getAttributesMap())
        .containsEntry("type", "run.accepted")
        .containsEntry("run_id", "0123456789abcdef0123")
        .doesNotContainKey("job_id");
    JsonNode envelope = envelope(message);
    assertThat(envelope.path("specversion").asText()).isEqualTo("1.0");
    assertThat(envelope.path("source").asText()).isEqualTo("batchdrop/runs/0123456789abcdef0123");
    assertThat(envelope.path("time").asText()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(envelope.path("data").toString())
        .isEqualTo(
            "{\"runId\":\"0123456789abcdef0123\",\"source\":\"gs://in/f.jsonl\",\"model\":\"m\","
                + "\"shards\":2,\"rows\":10,\"valid\":8,\"invalid\":2}");
  }

  @Test
  void aJobEventNamesItsJobAndKeepsTheRunOutOfItsData() throws Exception {
    PubsubMessage message =
        events.message(
            new JobSubmitted(
                "0123456789abcdef0123",
                "0123456789abcdef0123-s1-a1",
                "projects/p/x/1",
                1,
                5,
                "m",
                null));

    assertThat(message.getAttributesMap()).containsEntry("job_id", "0123456789abcdef0123-s1-a1");
    JsonNode data = envelope(message).path("data");
    assertThat(data.has("runId")).isFalse();
    assertThat(data.has("recovered")).as("absent unless recovered").isFalse();
    assertThat(envelope(message).path("source").asText())
        .endsWith("/jobs/0123456789abcdef0123-s1-a1");
  }

  @Test
  void aStateChangeLeavesOutWhatVertexDidNotReport() throws Exception {
    JsonNode data =
        envelope(
                events.message(
                    new JobStateChanged(
                        "r",
                        "r-s1-a1",
                        "v",
                        "JOB_STATE_PENDING",
                        "JOB_STATE_RUNNING",
                        3,
                        null,
                        null)))
            .path("data");

    assertThat(data.has("completionStats")).isFalse();
    assertThat(data.has("error")).isFalse();
    assertThat(data.path("previousState").asText()).isEqualTo("JOB_STATE_PENDING");
  }

  @Test
  void runCompletedCarriesTheFinalCountsOrOnlyTheReasonWhenItEndedEarly() throws Exception {
    JsonNode full =
        envelope(
                events.message(
                    new RunCompleted(
                        "r",
                        "PARTIAL",
                        null,
                        Map.of("rows", 3L, "succeeded", 2L),
                        Map.of(),
                        Map.of("totalUsd", "0.01"),
                        "gs://w/runs/r/report.json",
                        null)))
            .path("data");
    JsonNode early =
        envelope(events.message(RunCompleted.failedEarly("r", "FAILED", "unknown model")))
            .path("data");

    assertThat(full.path("counts").path("succeeded").asLong()).isEqualTo(2);
    assertThat(full.path("cost").path("totalUsd").asText()).isEqualTo("0.01");
    assertThat(early.toString())
        .isEqualTo("{\"runId\":\"r\",\"state\":\"FAILED\",\"reason\":\"unknown model\"}");
  }
}
