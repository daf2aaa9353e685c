package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A tick with more due jobs than one call takes: the Scheduler's call cuts slices onto the
 * poll-slices topic and parallel instances poll them, each job recorded once.
 */
@LocalCloudTest
class PollFanOutTest {
  @Fixture private PollFixture fx;
  private final ExecutorService instances = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutDown() throws Exception {
    instances.shutdownNow();
  }

  @Test
  void theSlicesOfATickAreDisjointAndCoverEveryDueJob(LocalCloud cloud) throws Exception {
    Set<String> dueIds = new HashSet<>();
    for (int r = 0; r < 30; r++) {
      RunId run = fx.run();
      for (int shard = 1; shard <= 2; shard++) {
        dueIds.add(fx.submitted(run, shard).jobId().value());
      }
    }
    Tracked later = fx.submitted(fx.run(), 1);
    fx.update(
        later.jobId(), JobDoc.NEXT_POLL_AT, Timestamp.ofTimeSecondsAndNanos(4_000_000_000L, 0));
    Tracked finished = fx.submitted(fx.run(), 1);
    fx.update(finished.jobId(), JobDoc.ACTIVE, false);
    DueJobs due = new DueJobs(cloud.firestore());
    Instant now = Instant.now();

    for (int count : new int[] {1, 4, 16}) {
      List<String> seen = new ArrayList<>();
      for (PollSlice slice : PollSlice.partition(count, now)) {
        for (QueryDocumentSnapshot doc : due.activeIn(slice, now, 1000)) {
          assertThat(slice.contains(doc.getId())).isTrue();
          seen.add(doc.getId());
        }
      }
      assertThat(seen).as("due jobs over %d slices", count).hasSize(dueIds.size());
      assertThat(new HashSet<>(seen)).isEqualTo(dueIds);
    }
    assertThat(due.countActive(now)).isEqualTo(dueIds.size());
  }

  @Test
  void aCrowdedTickFansOutAndParallelSlicesRecordEveryDueJobOnce(LocalCloud cloud)
      throws Exception {
    List<Tracked> jobs = new ArrayList<>();
    List<RunId> runs = new ArrayList<>();
    for (int r = 0; r < 12; r++) {
      RunId run = fx.run();
      runs.add(run);
      for (int shard = 1; shard <= 2; shard++) {
        jobs.add(fx.submitted(run, shard));
      }
    }
    jobs.forEach(
        job -> cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING));
    fx.configure(Map.of("BATCHDROP_POLL_BATCH", "8"));

    PollSummary tick = fx.poller().poll("2026-12-01T12:00:00Z");
    List<PollSlice> slices = slices();
    List<PollSummary> answers = inParallel(slices);

    assertThat(tick.polled()).as("the Scheduler's call polls none itself").isZero();
    assertThat(tick.slices()).as("24 due, 8 a call, slices half full").isEqualTo(6);
    assertThat(slices)
        .hasSize(6)
        .extracting(PollSlice::index)
        .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
    assertThat(answers.stream().mapToInt(PollSummary::polled).sum()).isEqualTo(24);
    assertThat(answers.stream().mapToInt(PollSummary::changed).sum()).isEqualTo(24);
    assertThat(answers).allSatisfy(a -> assertThat(a.errors()).isZero());
    List<String> events = fx.events();
    for (Tracked job : jobs) {
      assertThat(events)
          .filteredOn(e -> e.endsWith(job.jobId().value()))
          .containsExactly("job.state_changed JOB_STATE_RUNNING " + job.jobId());
      assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_RUNNING");
    }
    for (RunId run : runs) {
      assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
          .as("run %s followed its jobs", run)
          .isEqualTo(Map.of("JOB_STATE_RUNNING", 2L));
    }
  }

  @Test
  void aJobInTwoOverlappingSlicesIsRecordedAndHandedOffOnce(LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    fx.poll(); // recorded PENDING
    fx.events();
    int history = historyOf(job);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
    fx.dueNow(job);
    Instant now = Instant.now();
    // A slow slice of one tick (the whole range) beside the next tick's slice holding the job.
    PollSlice whole = PollSlice.partition(1, now.minusSeconds(30)).get(0);
    PollSlice narrow =
        PollSlice.partition(16, now).stream()
            .filter(s -> s.contains(job.jobId().value()))
            .findFirst()
            .orElseThrow();

    List<PollSummary> answers = inParallel(List.of(whole, narrow));

    assertThat(answers.stream().mapToInt(PollSummary::polled).sum()).isEqualTo(2);
    assertThat(answers.stream().mapToInt(PollSummary::completed).sum())
        .as("one of the two records the change, the other finds it recorded")
        .isEqualTo(1);
    assertThat(fx.events()).containsExactly("job.state_changed JOB_STATE_SUCCEEDED " + job.jobId());
    assertThat(fx.drain("completions")).hasSize(1);
    assertThat(historyOf(job)).as("SUCCEEDED entered the history once").isEqualTo(history + 1);
  }

  private int historyOf(Tracked job) throws Exception {
    Object history = fx.job(job.jobId()).get(JobDoc.STATE_HISTORY);
    return history instanceof List<?> entries ? entries.size() : 0;
  }

  @Test
  void anUncrowdedTickPollsItselfAndPublishesNoSlice(LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);

    PollSummary tick = fx.poll();

    assertThat(tick.polled()).isEqualTo(1);
    assertThat(tick.slices()).isZero();
    assertThat(fx.drain("poll-slices")).isEmpty();
  }

  /** The slices the tick published, as the poll-slices subscription delivers them. */
  private List<PollSlice> slices() throws Exception {
    List<PollSlice> slices = new ArrayList<>();
    for (PubsubMessage message : fx.drain("poll-slices")) {
      slices.add(PollSlice.decode(message.getData().toByteArray()));
    }
    return slices;
  }

  /** Each slice on an instance of its own (own clients, own pool), all started together. */
  private List<PollSummary> inParallel(List<PollSlice> slices) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<PollSummary>> answers = new ArrayList<>();
    for (PollSlice slice : slices) {
      Poller instance = fx.poller();
      answers.add(
          instances.submit(
              () -> {
                start.await();
                return instance.pollSlice(slice);
              }));
    }
    start.countDown();
    List<PollSummary> done = new ArrayList<>();
    for (Future<PollSummary> answer : answers) {
      done.add(answer.get(Duration.ofSeconds(120).toSeconds(), TimeUnit.SECONDS));
    }
    return done;
  }
}
