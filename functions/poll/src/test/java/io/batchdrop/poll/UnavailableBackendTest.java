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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job recorded on a backend this deployment no longer has (BATCHDROP_ALLOWED_BACKENDS changed) or
 * never knew: reported once, polled again only every ten minutes, and the rest of the tick goes on.
 */
@LocalCloudTest
class UnavailableBackendTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobOnABackendTheDeploymentLacksIsReportedStuckOnceAndTheOtherJobsArePolled(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked other = fx.submitted(run, 1);
    Tracked dropped = onBackend(fx.submitted(run, 2), "gemini-api");
    Tracked unknown = onBackend(fx.submitted(run, 3), "batch-v3");
    cloud.vertexEmulator().forceState(other.vertexName(), JobState.JOB_STATE_RUNNING);

    PollSummary first = fx.poll();

    assertThat(first.changed()).as("the other job is polled").isEqualTo(1);
    List<PubsubMessage> events = fx.drain("events");
    assertThat(events.stream().map(PollFixture::describeEvent))
        .containsExactlyInAnyOrder(
            "job.state_changed JOB_STATE_RUNNING " + other.jobId(),
            "job.stuck backend_unavailable " + dropped.jobId(),
            "job.stuck backend_unavailable " + unknown.jobId());
    String reason = PollFixture.reasonFor(events, dropped.jobId());
    assertThat(reason).contains("\"gemini-api\"").contains("BATCHDROP_ALLOWED_BACKENDS");
    assertThat(fx.job(dropped.jobId()).getBoolean(JobDoc.ACTIVE))
        .as("the batch may still finish once the backend is back")
        .isTrue();
    assertThat(nextPollAt(dropped)).isAfter(Instant.now().plus(Duration.ofMinutes(5)));

    fx.dueNow(other);
    PollSummary next = fx.poll();
    assertThat(next.polled()).as("not due again every tick").isEqualTo(1);
    assertThat(next.errors()).isZero();

    fx.dueNow(dropped, unknown);
    fx.poll();
    assertThat(fx.drain("events")).as("reported once").isEmpty();
  }

  private Tracked onBackend(Tracked job, String backend) throws Exception {
    fx.update(job.jobId(), JobDoc.BACKEND, backend);
    fx.update(job.jobId(), JobDoc.VERTEX_NAME, "batches/" + job.jobId().value());
    return new Tracked(job.jobId(), "batches/" + job.jobId().value());
  }

  private Instant nextPollAt(Tracked job) throws Exception {
    return fx.job(job.jobId()).getTimestamp(JobDoc.NEXT_POLL_AT).toDate().toInstant();
  }
}
