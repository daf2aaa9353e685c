package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.Timestamp;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchdogTest {
  private static final Instant CREATED = Instant.parse("2026-12-01T08:00:00Z");
  private final Watchdog watchdog = new Watchdog(config().poll());

  @Test
  void aJobRunningPastTheThresholdSinceItsStartIsStuck() {
    BatchPredictionJob vertex =
        running().setStartTime(at(CREATED.plus(Duration.ofHours(2)))).build();

    assertThat(watchdog.newlyCrossed(vertex, Map.of(), CREATED.plus(Duration.ofHours(27))))
        .as("25 h after its start")
        .isEmpty();
    assertThat(watchdog.newlyCrossed(vertex, Map.of(), CREATED.plus(Duration.ofHours(28))))
        .containsExactly("running");
  }

  @Test
  void aGeminiBatchThatReportsNoStartIsTimedFromItsCreation() {
    BatchPredictionJob gemini = running().build();

    assertThat(watchdog.newlyCrossed(gemini, Map.of(), CREATED.plus(Duration.ofHours(25))))
        .isEmpty();
    assertThat(watchdog.newlyCrossed(gemini, Map.of(), CREATED.plus(Duration.ofHours(26))))
        .containsExactly("running");
  }

  @Test
  void aThresholdThatFiredOnceDoesNotFireAgain() {
    BatchPredictionJob gemini = running().build();

    assertThat(
            watchdog.newlyCrossed(
                gemini,
                Map.of("running", "2026-12-02T10:00:00Z"),
                CREATED.plus(Duration.ofDays(2))))
        .isEmpty();
  }

  private static BatchPredictionJob.Builder running() {
    return BatchPredictionJob.newBuilder()
        .setState(JobState.JOB_STATE_RUNNING)
        .setCreateTime(at(CREATED));
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  private static BatchdropConfig config() {
    return BatchdropConfig.fromEnvironment(
        Map.of(
            "GOOGLE_CLOUD_PROJECT", "p",
            "BATCHDROP_INBOX_BUCKET", "inbox",
            "BATCHDROP_WORK_BUCKET", "work",
            "BATCHDROP_RESULTS_TOPIC", "results",
            "BATCHDROP_EVENTS_TOPIC", "events",
            "BATCHDROP_COMPLETIONS_TOPIC", "completions"));
  }
}
