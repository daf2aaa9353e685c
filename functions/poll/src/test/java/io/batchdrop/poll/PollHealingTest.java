package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.grpc.Status;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Jobs half-created by a dead submit call, and a Vertex outage in the middle of a call. */
@LocalCloudTest
class PollHealingTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobLeftCreatingThatVertexHasIsAdoptedNotCreatedAgain(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    JobId jobId = fx.leftCreating(run, 1);
    // The create reached Vertex; its answer was lost with the submit call.
    BatchPredictionJob existing =
        cloud
            .jobService()
            .createBatchPredictionJob(fx.parent(), fx.spec(jobId).toBatchPredictionJob());

    PollSummary summary = fx.poll();

    assertThat(summary.recovered()).isEqualTo(1);
    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(1);
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(fx.job(jobId).getString(JobDoc.VERTEX_NAME)).isEqualTo(existing.getName());
    assertThat(fx.job(jobId).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_PENDING");
    assertThat(fx.events()).containsExactly("job.submitted  " + jobId);

    cloud.vertexEmulator().forceState(existing.getName(), JobState.JOB_STATE_RUNNING);
    fx.dueNow(new Tracked(jobId, existing.getName()));
    assertThat(fx.poll().changed()).as("an adopted job is polled like any other").isEqualTo(1);
  }

  @Test
  void aJobLeftCreatingThatVertexLacksIsCreatedOnce(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    JobId jobId = fx.leftCreating(run, 1);

    PollSummary first = fx.poll();
    PollSummary second = fx.poll();

    assertThat(first.recovered()).isEqualTo(1);
    assertThat(second.recovered()).isZero();
    assertThat(cloud.vertexEmulator().jobs())
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.getLabelsMap()).containsEntry(JobSpec.JOB_LABEL, jobId.value());
              assertThat(job.getInputConfig().getGcsSource().getUris(0))
                  .isEqualTo(fx.spec(jobId).inputUri());
              assertThat(fx.job(jobId).getString(JobDoc.VERTEX_NAME)).isEqualTo(job.getName());
            });
  }

  @Test
  void overlappingCallsRecoveringTheSameJobCreateItOnceAndTheLoserLeavesItAlone(LocalCloud cloud)
      throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 5; round++) {
        JobId jobId = fx.leftCreating(fx.run(), 1);
        Poller first = fx.poller();
        Poller second = fx.poller();
        CountDownLatch start = new CountDownLatch(1);
        Future<PollSummary> a =
            callers.submit(
                () -> {
                  start.await();
                  return first.poll(null);
                });
        Future<PollSummary> b =
            callers.submit(
                () -> {
                  start.await();
                  return second.poll(null);
                });
        start.countDown();
        int recovered =
            a.get(60, TimeUnit.SECONDS).recovered() + b.get(60, TimeUnit.SECONDS).recovered();

        assertThat(cloud.vertexEmulator().jobs())
            .filteredOn(j -> jobId.value().equals(j.getLabelsMap().get("batchdrop-job")))
            .as("Vertex jobs for %s in round %d", jobId, round)
            .hasSize(1);
        assertThat(recovered).isEqualTo(1);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aVertexOutageIsCountedAnsweredAndTheJobsArePolledNextTime(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked a = fx.submitted(run, 1);
    Tracked b = fx.submitted(run, 2);
    fx.poll();
    cloud.vertexEmulator().forceState(a.vertexName(), JobState.JOB_STATE_RUNNING);
    cloud.vertexEmulator().forceState(b.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    fx.dueNow(a, b);
    cloud.vertexEmulator().knobs().failNextGets(1000, Status.Code.UNAVAILABLE);

    PollSummary during = fx.poll();

    assertThat(during.polled()).isEqualTo(2);
    assertThat(during.errors()).isEqualTo(2);
    assertThat(during.changed()).isZero();
    assertThat(fx.job(a.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_PENDING");

    cloud.vertexEmulator().knobs().failNextGets(0, Status.Code.UNAVAILABLE);
    PollSummary after = fx.poll();

    assertThat(after.errors()).isZero();
    assertThat(after.changed()).isEqualTo(2);
    assertThat(after.completed()).isEqualTo(1);
    assertThat(fx.job(a.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_RUNNING");
  }

  @Test
  void aCallStopsStartingJobsOnceItsBudgetIsSpentAndTheNextCallTakesThem(LocalCloud cloud)
      throws Exception {
    fx.configure(
        java.util.Map.of("BATCHDROP_POLL_BUDGET_SECONDS", "1", "BATCHDROP_POLL_CONCURRENCY", "1"));
    RunId run = fx.run();
    Tracked[] jobs = {fx.submitted(run, 1), fx.submitted(run, 2), fx.submitted(run, 3)};
    // One at a time, each get at least 600 ms: the third cannot start inside a 1 s budget.
    cloud.vertexEmulator().knobs().getLatency(java.time.Duration.ofMillis(600));

    PollSummary spent = fx.poll();

    assertThat(spent.left()).isGreaterThanOrEqualTo(1);
    assertThat(spent.polled() + spent.left()).isEqualTo(3);
    assertThat(spent.errors()).isZero();

    cloud.vertexEmulator().knobs().getLatency(java.time.Duration.ZERO);
    PollSummary next = fx.poll();
    assertThat(next.polled()).as("the jobs left stay due").isEqualTo(spent.left());
    for (Tracked job : jobs) {
      assertThat(fx.job(job.jobId()).getString(JobDoc.OBSERVED)).isNotNull();
    }
  }
}
