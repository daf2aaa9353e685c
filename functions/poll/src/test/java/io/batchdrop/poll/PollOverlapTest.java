package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.JobState;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two calls on the same jobs at once, as a Scheduler retry next to a slow first attempt. */
@LocalCloudTest
class PollOverlapTest {
  @Fixture private PollFixture fx;
  private final ExecutorService callers = Executors.newFixedThreadPool(2);

  @AfterEach
  void shutDown() throws Exception {
    callers.shutdownNow();
  }

  @Test
  void overlappingCallsRecordEachChangeOnceAndHandEachJobOffOnce(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    List<Tracked> jobs = new ArrayList<>();
    for (int shard = 1; shard <= 8; shard++) {
      jobs.add(fx.submitted(run, shard));
    }
    fx.poll();
    fx.events();
    Poller first = fx.poller();
    Poller second = fx.poller();

    jobs.forEach(
        job -> cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING));
    fx.dueNow(jobs.toArray(Tracked[]::new));
    List<PollSummary> running = together(first, second);
    jobs.forEach(
        job -> cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED));
    fx.dueNow(jobs.toArray(Tracked[]::new));
    List<PollSummary> finished = together(first, second);

    assertThat(running.get(0).changed() + running.get(1).changed()).isEqualTo(8);
    assertThat(finished.get(0).completed() + finished.get(1).completed()).isEqualTo(8);
    assertThat(running).allSatisfy(s -> assertThat(s.errors()).isZero());
    assertThat(finished).allSatisfy(s -> assertThat(s.errors()).isZero());
    List<String> events = fx.events();
    for (Tracked job : jobs) {
      assertThat(events)
          .filteredOn(e -> e.endsWith(job.jobId().value()))
          .containsExactly(
              "job.state_changed JOB_STATE_RUNNING " + job.jobId(),
              "job.state_changed JOB_STATE_SUCCEEDED " + job.jobId());
    }
    assertThat(fx.drain("completions")).hasSize(8);
  }

  /** Starts both calls at the same moment and waits for both answers. */
  private List<PollSummary> together(Poller a, Poller b) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    Future<PollSummary> first =
        callers.submit(
            () -> {
              start.await();
              return a.poll("2026-11-22T18:00:00Z");
            });
    Future<PollSummary> second =
        callers.submit(
            () -> {
              start.await();
              return b.poll("2026-11-22T18:00:00Z");
            });
    start.countDown();
    return List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
  }
}
