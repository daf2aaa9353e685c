package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.FieldValue;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.SetClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A finished job that publish never finishes: its hand-off is resent on, and past {@code
 * BATCHDROP_STUCK_PUBLISH_HOURS} after it came due the job gets {@code job.stuck} once.
 */
@LocalCloudTest
class StuckPublishTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobPublishNeverFinishesIsReportedStuckOnceAndItsHandOffKeepsBeingResent(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    SetClock clock = new SetClock(Instant.now());
    Poller poller = fx.poller(clock);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    poller.poll(null);
    assertThat(fx.drain("completions")).hasSize(1);
    assertThat(fx.events()).containsExactly("job.state_changed JOB_STATE_SUCCEEDED " + job.jobId());

    clock.advance(Duration.ofHours(5).plusMinutes(59));
    assertThat(poller.poll(null).resent()).isEqualTo(1);
    assertThat(fx.drain("events")).as("under the 6 h default").isEmpty();

    clock.advance(Duration.ofMinutes(31));
    assertThat(poller.poll(null).resent()).as("resent on: it may still clear").isEqualTo(1);
    List<PubsubMessage> events = fx.drain("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getAttributesOrThrow("type")).isEqualTo("job.stuck");
    assertThat(events.get(0).getAttributesOrThrow("job_id")).isEqualTo(job.jobId().value());
    var data = PollFixture.json(events.get(0).getData().toStringUtf8()).path("data");
    assertThat(data.path("threshold").asText()).isEqualTo("publish_not_done");
    assertThat(data.path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
    assertThat(data.path("reason").asText())
        .contains("3 hand-offs sent")
        .contains("BATCHDROP_STUCK_PUBLISH_HOURS");
    assertThat(
            new java.util.TreeSet<Object>(
                ((Map<?, ?>) fx.job(job.jobId()).get(JobDoc.STUCK)).keySet()))
        .containsExactly("publish_not_done");

    clock.advance(Duration.ofMinutes(31));
    assertThat(poller.poll(null).resent()).isEqualTo(1);
    assertThat(fx.drain("events")).as("once").isEmpty();
    assertThat(fx.drain("completions")).hasSize(3);

    fx.update(job.jobId(), JobDoc.PUBLISH_DONE, true);
    clock.advance(Duration.ofMinutes(31));
    assertThat(poller.poll(null).resent()).isZero();
  }

  @Test
  void aJobPublishedInTimeIsNeverReportedStuck(LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    SetClock clock = new SetClock(Instant.now());
    Poller poller = fx.poller(clock);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_FAILED);
    poller.poll(null);
    fx.update(job.jobId(), JobDoc.PUBLISH_DONE, true);
    fx.drain("events");

    clock.advance(Duration.ofHours(7));
    poller.poll(null);

    assertThat(fx.drain("events")).isEmpty();
    assertThat(fx.job(job.jobId()).get(JobDoc.STUCK)).isNull();
  }

  @Test
  void theThresholdIsConfigured(LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_STUCK_PUBLISH_HOURS", "1"));
    Tracked job = fx.submitted(fx.run(), 1);
    SetClock clock = new SetClock(Instant.now());
    Poller poller = fx.poller(clock);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_CANCELLED);
    poller.poll(null);
    fx.drain("events");

    clock.advance(Duration.ofMinutes(61));
    poller.poll(null);

    assertThat(fx.events()).containsExactly("job.stuck publish_not_done " + job.jobId());
  }

  @Test
  void aJobFinishedBeforeItsDueTimeWasRecordedIsTimedFromItsFirstResend(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    SetClock clock = new SetClock(Instant.now());
    Poller poller = fx.poller(clock);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    poller.poll(null);
    fx.update(job.jobId(), JobDoc.HANDOFF_DUE_AT, FieldValue.delete());
    fx.drain("events");

    clock.advance(Duration.ofDays(2));
    assertThat(poller.poll(null).resent()).isEqualTo(1);
    assertThat(fx.drain("events")).as("timed from now on, not reported at once").isEmpty();
    assertThat(fx.job(job.jobId()).getTimestamp(JobDoc.HANDOFF_DUE_AT)).isNotNull();

    clock.advance(Duration.ofHours(6));
    poller.poll(null);
    assertThat(fx.events()).containsExactly("job.stuck publish_not_done " + job.jobId());
  }
}
