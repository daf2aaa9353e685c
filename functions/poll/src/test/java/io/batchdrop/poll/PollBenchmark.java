package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The poll benchmark (tagged, so not part of the regular suite). Run: {@code ./batchdrop bench
 * poll}. The floor printed beside it is the Vertex latency alone spread over the call's threads.
 * 1,000 active jobs in 10 runs, every Vertex get answered after 50 ms; prints one call's wall time,
 * its Firestore document reads (selection + transaction re-reads + run refreshes) and writes
 * (documents whose update time moved).
 */
@LocalCloudTest
@Tag("benchmark")
class PollBenchmark {
  private static final int JOBS = 1000;
  private static final int RUNS = 10;
  private static final int FINISHING = 50;

  @Test
  void oneCallOverAThousandActiveJobs(LocalCloud cloud) throws Exception {
    try (PollFixture fx = new PollFixture(cloud)) {
      List<Tracked> jobs = createJobs(fx);
      jobs.forEach(
          job -> cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING));
      cloud.vertexEmulator().knobs().getLatency(Duration.ofMillis(50));

      Figures firstSight = measure(cloud, fx, jobs, "every job seen RUNNING for the first time");
      jobs.subList(0, FINISHING)
          .forEach(
              job ->
                  cloud
                      .vertexEmulator()
                      .forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED));
      Figures steady = measure(cloud, fx, jobs, FINISHING + " jobs finished, the rest unchanged");

      assertThat(firstSight.summary().changed()).isEqualTo(JOBS);
      assertThat(steady.summary().polled()).isEqualTo(JOBS);
      assertThat(steady.summary().completed()).isEqualTo(FINISHING);
      assertThat(steady.jobWrites()).as("writes only for jobs that changed").isEqualTo(FINISHING);
    }
  }

  private record Figures(PollSummary summary, int jobWrites) {}

  private Figures measure(LocalCloud cloud, PollFixture fx, List<Tracked> jobs, String situation)
      throws Exception {
    makeDue(cloud);
    Map<String, Timestamp> before = updateTimes(cloud);
    Poller poller = fx.poller();
    PollSummary summary = poller.poll(null);
    Map<String, Timestamp> after = updateTimes(cloud);
    int jobWrites =
        (int)
            after.entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .count();
    int runsTouched =
        (int)
            jobs.stream()
                .filter(j -> !after.get(j.jobId().value()).equals(before.get(j.jobId().value())))
                .map(j -> j.jobId().run())
                .distinct()
                .count();
    int reads = summary.polled() + summary.changed() + runsTouched * (1 + JOBS / RUNS);
    // The floor: the Vertex latency alone, spread over the call's threads, with free Firestore.
    long floorMillis = (long) JOBS * 50 / fx.config().poll().concurrency();
    System.out.printf(
        java.util.Locale.ROOT,
        "poll benchmark [%s]: %d jobs, get latency 50 ms, concurrency %d: took %d ms"
            + " (floor %d ms, ratio %.2f); polled %d, changed %d, completed %d, errors %d;"
            + " Firestore job documents written %d, runs refreshed %d, document reads %d%n",
        situation,
        JOBS,
        fx.config().poll().concurrency(),
        summary.tookMillis(),
        floorMillis,
        (double) floorMillis / summary.tookMillis(),
        summary.polled(),
        summary.changed(),
        summary.completed(),
        summary.errors(),
        jobWrites,
        runsTouched,
        reads);
    return new Figures(summary, jobWrites);
  }

  private static List<Tracked> createJobs(PollFixture fx) throws Exception {
    List<RunId> runs = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      runs.add(fx.run());
    }
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<Future<Tracked>> created = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        RunId run = runs.get(i % RUNS);
        int shard = i / RUNS + 1;
        created.add(creators.submit(() -> fx.submitted(run, shard)));
      }
      List<Tracked> jobs = new ArrayList<>();
      for (Future<Tracked> job : created) {
        jobs.add(job.get());
      }
      return jobs;
    } finally {
      creators.shutdownNow();
    }
  }

  /** Every job due now, as after a pause of the Scheduler. */
  private static void makeDue(LocalCloud cloud) throws Exception {
    List<QueryDocumentSnapshot> docs =
        cloud.firestore().collection(JobDoc.COLLECTION).get().get().getDocuments();
    for (int start = 0; start < docs.size(); start += 500) {
      WriteBatch batch = cloud.firestore().batch();
      for (QueryDocumentSnapshot doc : docs.subList(start, Math.min(docs.size(), start + 500))) {
        batch.update(doc.getReference(), JobDoc.NEXT_POLL_AT, Timestamp.now());
      }
      batch.commit().get();
    }
  }

  private static Map<String, Timestamp> updateTimes(LocalCloud cloud) throws Exception {
    Map<String, Timestamp> times = new HashMap<>();
    for (QueryDocumentSnapshot doc :
        cloud.firestore().collection(JobDoc.COLLECTION).get().get().getDocuments()) {
      times.put(doc.getId(), doc.getUpdateTime());
    }
    return times;
  }
}
