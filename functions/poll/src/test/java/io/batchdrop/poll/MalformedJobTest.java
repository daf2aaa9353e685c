package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.JobState;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.SetClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job document with a field of the wrong type (an operator's edit, a bug elsewhere): decided
 * once, not a failed poll on every tick.
 */
@LocalCloudTest
class MalformedJobTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobWithAFieldOfTheWrongTypeIsReportedStuckOnceAndNoLongerPolled(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked other = fx.submitted(run, 1);
    Tracked broken = fx.submitted(run, 2);
    fx.update(broken.jobId(), JobDoc.STATE_VALUE, "three");
    cloud.vertexEmulator().forceState(other.vertexName(), JobState.JOB_STATE_RUNNING);
    cloud.vertexEmulator().forceState(broken.vertexName(), JobState.JOB_STATE_RUNNING);

    PollSummary first = fx.poll();

    assertThat(first.changed()).as("the other job is polled").isEqualTo(1);
    List<PubsubMessage> events = fx.drain("events");
    assertThat(events.stream().map(PollFixture::describeEvent))
        .containsExactlyInAnyOrder(
            "job.state_changed JOB_STATE_RUNNING " + other.jobId(),
            "job.stuck malformed_document " + broken.jobId());
    String reason = PollFixture.reasonFor(events, broken.jobId());
    assertThat(reason).contains("stateValue is a string").contains("expected a number");
    assertThat(fx.job(broken.jobId()).getBoolean(JobDoc.ACTIVE)).isFalse();

    fx.dueNow(other, broken);
    PollSummary next = fx.poll();
    assertThat(next.polled()).as("only the other job").isEqualTo(1);
    assertThat(next.errors()).isZero();
    assertThat(fx.drain("events")).isEmpty();
  }

  @Test
  void aFinishedJobWithANonBooleanPublishDoneDoesNotFailThePollCall(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    fx.poll();
    fx.update(job.jobId(), JobDoc.PUBLISH_DONE, "no");
    fx.update(
        job.jobId(), JobDoc.HANDOFF_AT, com.google.cloud.Timestamp.ofTimeSecondsAndNanos(0, 0));

    PollSummary next = fx.poll();

    assertThat(next.errors()).isZero();
  }

  @Test
  void aFinishedJobWhoseHandOffCannotBeBuiltIsStillReportedWhenPublishNeverFinishes(
      LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    SetClock clock = new SetClock(java.time.Instant.now());
    Poller poller = fx.poller(clock);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    poller.poll(null);
    fx.update(job.jobId(), JobDoc.VERTEX_NAME, 42L);
    fx.drain("events");

    clock.advance(java.time.Duration.ofHours(7));
    PollSummary late = poller.poll(null);

    assertThat(late.resent()).as("the hand-off cannot be built").isZero();
    List<PubsubMessage> events = fx.drain("events");
    assertThat(events).hasSize(1);
    assertThat(PollFixture.reason(events.get(0)))
        .contains("publish has not finished the job")
        .contains("vertexName is a number");
  }
}
