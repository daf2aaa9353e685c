package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.JobState;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What follows from job states: hand-off resends, the watchdog, the run's state and counts. */
@LocalCloudTest
class PollFollowUpTest {
  @Fixture private PollFixture fx;

  @Test
  void aHandOffIsSentOnceWhileFreshAndAgainWhenStaleUntilPublishIsDone(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);

    fx.poll();
    assertThat(fx.drain("completions")).hasSize(1);
    assertThat(fx.poll().resent()).isZero();
    assertThat(fx.drain("completions")).as("fresh: not sent again").isEmpty();

    fx.update(job.jobId(), JobDoc.HANDOFF_AT, stale());
    assertThat(fx.poll().resent()).isEqualTo(1);
    assertThat(fx.drain("completions"))
        .singleElement()
        .satisfies(
            m -> assertThat(m.getAttributesOrThrow("job_id")).isEqualTo(job.jobId().value()));
    assertThat(fx.job(job.jobId()).getLong(JobDoc.HANDOFF_COUNT)).isEqualTo(2);

    fx.update(job.jobId(), JobDoc.PUBLISH_DONE, true);
    fx.update(job.jobId(), JobDoc.HANDOFF_AT, stale());
    assertThat(fx.poll().resent()).isZero();
    assertThat(fx.drain("completions")).as("published: never again").isEmpty();
  }

  @Test
  void theWatchdogFiresOncePerThresholdCrossed(LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_STUCK_QUEUED_HOURS", "0", "BATCHDROP_STUCK_RUNNING_HOURS", "0"));
    Tracked job = fx.submitted(fx.run(), 1);

    fx.poll();
    assertThat(fx.events()).containsExactly("job.stuck queued " + job.jobId());
    pollNow(job);
    assertThat(fx.events()).isEmpty();

    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    pollNow(job);
    assertThat(fx.events())
        .containsExactlyInAnyOrder(
            "job.state_changed JOB_STATE_RUNNING " + job.jobId(),
            "job.stuck running " + job.jobId());
    pollNow(job);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_QUEUED);
    pollNow(job);
    assertThat(fx.events())
        .as("queued fired already")
        .containsExactly("job.state_changed JOB_STATE_QUEUED " + job.jobId());
    assertThat(
            new java.util.TreeSet<Object>(
                ((Map<?, ?>) fx.job(job.jobId()).get(JobDoc.STUCK)).keySet()))
        .containsExactly("queued", "running");
  }

  @Test
  void defaultThresholdsLeaveAFreshJobAlone(LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);

    fx.poll();

    assertThat(fx.events()).containsExactly("job.state_changed JOB_STATE_RUNNING " + job.jobId());
    assertThat(fx.job(job.jobId()).get(JobDoc.STUCK)).isNull();
  }

  @Test
  void theRunFollowsItsShards(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    Tracked one = fx.submitted(run, 1);
    Tracked two = fx.submitted(run, 2);
    Tracked three = fx.submitted(run, 3);

    cloud.vertexEmulator().forceState(two.vertexName(), JobState.JOB_STATE_RUNNING);
    fx.poll();
    assertThat(fx.runDoc(run).getString(RunDoc.STATE)).isEqualTo("RUNNING");
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_PENDING", 2L, "JOB_STATE_RUNNING", 1L));

    cloud.vertexEmulator().forceState(one.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    cloud.vertexEmulator().forceState(two.vertexName(), JobState.JOB_STATE_FAILED);
    cloud.vertexEmulator().forceState(three.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    pollNow(one, two, three);
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_SUCCEEDED", 2L, "JOB_STATE_FAILED", 1L));
    assertThat(fx.runDoc(run).getString(RunDoc.STATE))
        .as("the publish phase is publish's to set")
        .isEqualTo("RUNNING");
  }

  @Test
  void aCrowdedCallWithoutFanOutLetsTheJobsBeyondItsLimitHaveTheirTurn(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked one = fx.submitted(run, 1);
    Tracked two = fx.submitted(run, 2);
    Tracked three = fx.submitted(run, 3);
    for (Tracked job : new Tracked[] {one, two, three}) {
      cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    }
    fx.poll(); // recorded RUNNING; from now on each answer is unchanged
    Instant now = Instant.now();
    fx.update(one.jobId(), JobDoc.NEXT_POLL_AT, at(now.minusSeconds(30)));
    fx.update(two.jobId(), JobDoc.NEXT_POLL_AT, at(now.minusSeconds(20)));
    fx.update(three.jobId(), JobDoc.NEXT_POLL_AT, at(now.minusSeconds(10)));
    // A deployment without the poll-slices topic: one call takes what it can.
    fx.configure(Map.of("BATCHDROP_POLL_BATCH", "2", "BATCHDROP_POLL_SLICES_TOPIC", ""));

    PollSummary crowded = fx.poll();
    PollSummary next = fx.poll();

    assertThat(crowded.polled()).isEqualTo(2);
    assertThat(next.polled()).as("the third job's turn, not the first two again").isEqualTo(1);
    assertThat(fx.job(one.jobId()).getTimestamp(JobDoc.NEXT_POLL_AT).toDate().toInstant())
        .isAfter(now);
    assertThat(fx.job(three.jobId()).getTimestamp(JobDoc.NEXT_POLL_AT).toDate().toInstant())
        .as("an uncrowded call leaves a job due every tick as it is: no write")
        .isBefore(now);
  }

  @Test
  void aRunWhoseOnlyJobFinishedBetweenTwoPollsIsRunningToo(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    Tracked job = fx.submitted(run, 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);

    fx.poll();

    assertThat(fx.runDoc(run).getString(RunDoc.STATE)).isEqualTo("RUNNING");
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_SUCCEEDED", 1L));
  }

  @Test
  void aJobPastTheMaximumAgeIsCancelledOnceWhenConfigured(LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_CANCEL_AFTER_HOURS", "0.000001")); // a few milliseconds
    Tracked job = fx.submitted(fx.run(), 1);

    fx.poll();
    pollNow(job);

    assertThat(cloud.vertexEmulator().callCount("CancelBatchPredictionJob")).isEqualTo(1);
    assertThat(fx.job(job.jobId()).getTimestamp(JobDoc.CANCEL_REQUESTED_AT)).isNotNull();
    assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_CANCELLING");
  }

  private static Timestamp at(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  private void pollNow(Tracked... jobs) throws Exception {
    fx.dueNow(jobs);
    fx.poll();
  }

  private static Timestamp stale() {
    Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
    return Timestamp.ofTimeSecondsAndNanos(hourAgo.getEpochSecond(), 0);
  }
}
