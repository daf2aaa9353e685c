package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.firestore.WriteBatch;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The poll benchmark (tagged, so not part of the regular suite). Run: {@code ./batchdrop bench
 * poll}. The floor printed beside it is the Vertex latency alone spread over the threads at work.
 *
 * <p>One call: 1,000 active jobs in 10 runs, every Vertex get answered after 50 ms; prints one
 * call's wall time, its Firestore document reads (selection + transaction re-reads + run refreshes)
 * and writes (documents whose update time moved).
 *
 * <p>A crowded tick: 10,000 RUNNING jobs ({@code -Dbench.jobs}) in 2,000 runs of 5 shards, 50 ms
 * per get; the Scheduler's call publishes the tick's slices to the poll-slices topic and {@code
 * -Dbench.instances} poll instances (20, the deployment's {@code poll_slices_max_instances}), each
 * with its own clients and pool of 16, take the slices off the subscription concurrently, as
 * Eventarc delivers them to parallel instances. Two ticks: nothing changed, then 5 % finished.
 * Prints tick start to last slice done, the slowest slice, jobs polled and left, and job documents
 * written (update times that moved).
 */
@LocalCloudTest
@Tag("benchmark")
// Timed: one measurement at a time, never beside another (@LocalCloudTest allows concurrency).
@Execution(ExecutionMode.SAME_THREAD)
class PollBenchmark {
  private static final int JOBS = 1000;
  private static final int RUNS = 10;
  private static final int FINISHING = 50;

  @Test
  void oneCallOverAThousandActiveJobs(LocalCloud cloud, PollFixture fx) throws Exception {
    List<Tracked> jobs = createJobs(fx);
    jobs.forEach(
        job -> cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING));
    cloud.vertexEmulator().knobs().getLatency(Duration.ofMillis(50));

    Figures firstSight = measure(cloud, fx, jobs, "every job seen RUNNING for the first time");
    jobs.subList(0, FINISHING)
        .forEach(
            job ->
                cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED));
    Figures steady = measure(cloud, fx, jobs, FINISHING + " jobs finished, the rest unchanged");

    assertThat(firstSight.summary().changed()).isEqualTo(JOBS);
    assertThat(steady.summary().polled()).isEqualTo(JOBS);
    assertThat(steady.summary().completed()).isEqualTo(FINISHING);
    assertThat(steady.jobWrites()).as("writes only for jobs that changed").isEqualTo(FINISHING);
  }

  @Test
  void aCrowdedTickOfTenThousandJobsFansOutToParallelInstances(LocalCloud cloud, PollFixture fx)
      throws Exception {
    int total = Integer.getInteger("bench.jobs", 10_000);
    // As deployed: poll_slices_max_instances (20) instances, so each of the 20 slices has its own.
    int instances = Integer.getInteger("bench.instances", 20);
    int finishing = total / 20;
    // Threads per instance (BATCHDROP_POLL_CONCURRENCY); 16 as deployed.
    String concurrency = System.getProperty("bench.concurrency");
    if (concurrency != null) {
      fx.configure(Map.of("BATCHDROP_POLL_CONCURRENCY", concurrency));
    }
    long setupStart = System.nanoTime();
    List<Tracked> jobs = runningJobsInBulk(cloud, fx, total, SHARDS_PER_RUN);
    System.out.printf(
        java.util.Locale.ROOT,
        "poll benchmark: %d RUNNING jobs in %d runs recorded in %d s%n",
        total,
        total / SHARDS_PER_RUN,
        (System.nanoTime() - setupStart) / 1_000_000_000L);
    cloud.vertexEmulator().knobs().getLatency(Duration.ofMillis(50));
    List<Poller> pollers = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      pollers.add(fx.poller());
    }

    Tick unchanged = tick(cloud, fx, pollers, total, Set.of(), "no job changed");
    Set<String> finished = new HashSet<>();
    for (Tracked job : jobs.subList(0, finishing)) {
      cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_SUCCEEDED);
      finished.add(job.jobId().value());
    }
    Tick steady =
        tick(cloud, fx, pollers, total, finished, finishing + " jobs finished, the rest unchanged");

    // Whether every due job was polled within the tick is the measurement (printed, like the
    // other benchmarks' targets); what must hold whatever the machine's load is asserted.
    assertThat(unchanged.written()).as("no change, no write").isEmpty();
    assertThat(steady.written())
        .as("writes only for the jobs that changed, and for each of them")
        .isEqualTo(finished);
    assertThat(steady.changed()).isEqualTo(finishing);
    assertThat(steady.completed()).isEqualTo(steady.changed());
    assertThat(unchanged.errors() + steady.errors()).isZero();
  }

  /** A team's files of a few shards each: 1 GB files of 200,000 rows make 5 shards at most. */
  private static final int SHARDS_PER_RUN = 5;

  private record Tick(int polled, int changed, int completed, int errors, Set<String> written) {}

  /**
   * One crowded tick: the Scheduler's call, then every slice it published, each on the next free
   * instance; timed from the call's start to the last slice's answer.
   */
  private Tick tick(
      LocalCloud cloud,
      PollFixture fx,
      List<Poller> pollers,
      int total,
      Set<String> changing,
      String situation)
      throws Exception {
    makeDue(cloud);
    Map<String, Timestamp> before = updateTimes(cloud);
    long start = System.nanoTime();
    PollSummary call = pollers.get(0).poll("bench");
    long published = System.nanoTime();
    List<PollSlice> slices = new ArrayList<>();
    while (slices.size() < call.slices()) {
      for (com.google.pubsub.v1.PubsubMessage message :
          cloud.pull("poll-slices-sub", call.slices() - slices.size(), Duration.ofSeconds(30))) {
        slices.add(PollSlice.decode(message.getData().toByteArray()));
      }
    }
    java.util.concurrent.BlockingQueue<Poller> free =
        new java.util.concurrent.LinkedBlockingQueue<>(pollers);
    ExecutorService deliveries = Executors.newFixedThreadPool(pollers.size());
    java.util.concurrent.atomic.AtomicInteger redeliveries =
        new java.util.concurrent.atomic.AtomicInteger();
    List<Future<long[]>> answers = new ArrayList<>();
    try {
      for (PollSlice slice : slices) {
        answers.add(
            deliveries.submit(
                () -> {
                  Poller instance = free.take();
                  try {
                    long sliceStart = System.nanoTime();
                    PollSummary s = null;
                    // As Eventarc: a failed invocation is delivered again; PollSliceFunction
                    // drops a slice whose tick is over.
                    while (s == null && !slice.staleAt(java.time.Instant.now())) {
                      try {
                        s = instance.pollSlice(slice);
                      } catch (PollUnavailableException e) {
                        redeliveries.incrementAndGet();
                      }
                    }
                    long polled = s == null ? 0 : s.polled();
                    return new long[] {
                      polled,
                      s == null ? 0 : s.changed(),
                      s == null ? 0 : s.completed(),
                      s == null ? 0 : s.errors(),
                      s == null ? 0 : s.left(),
                      (System.nanoTime() - sliceStart) / 1_000_000,
                      (System.nanoTime() - start) / 1_000_000
                    };
                  } finally {
                    free.add(instance);
                  }
                }));
      }
      long[] sum = new long[5];
      long slowest = 0;
      long lastDone = 0;
      for (Future<long[]> answer : answers) {
        long[] a = answer.get(10, java.util.concurrent.TimeUnit.MINUTES);
        for (int i = 0; i < 5; i++) {
          sum[i] += a[i];
        }
        slowest = Math.max(slowest, a[5]);
        lastDone = Math.max(lastDone, a[6]);
      }
      List<QueryDocumentSnapshot> afterDocs = jobDocs(cloud);
      Set<String> written = new HashSet<>();
      for (QueryDocumentSnapshot doc : afterDocs) {
        if (!doc.getUpdateTime().equals(before.get(doc.getId()))) {
          written.add(doc.getId());
        }
      }
      int jobWrites = written.size();
      int concurrency = fx.config().poll().concurrency();
      long floorMillis = (long) total * 50 / ((long) concurrency * pollers.size());
      System.out.printf(
          java.util.Locale.ROOT,
          "poll benchmark [crowded tick: %s]: %d jobs, get latency 50 ms, %d instances x %d"
              + " threads: tick start to last slice done %d ms (within one tick: %s; floor %d ms,"
              + " ratio %.2f); Scheduler call %d ms (%d slices published in %d ms); slowest"
              + " slice %d ms; polled %d, changed %d, completed %d, errors %d, left %d;"
              + " Firestore job documents written %d; slices delivered again %d%n",
          situation,
          total,
          pollers.size(),
          concurrency,
          lastDone,
          lastDone <= 60_000 && sum[0] == total ? "yes" : "NO",
          floorMillis,
          (double) floorMillis / lastDone,
          call.tookMillis(),
          call.slices(),
          (published - start) / 1_000_000,
          slowest,
          sum[0],
          sum[1],
          sum[2],
          sum[3],
          sum[4],
          jobWrites,
          redeliveries.get());
      System.out.println(
          "poll benchmark [crowded tick: "
              + situation
              + "]: "
              + writtenByKind(afterDocs, written, changing));
      return new Tick((int) sum[0], (int) sum[1], (int) sum[2], (int) sum[3], written);
    } finally {
      deliveries.shutdownNow();
    }
  }

  /**
   * RUNNING jobs as a first-sight tick leaves them, {@code perRun} shards per run: each Vertex job
   * created and forced RUNNING, its document holding what poll records for that answer (so the tick
   * finds it unchanged), the runs RUNNING with their job counts; documents written in batches of
   * 500 (one write each through the poller would take many minutes on the emulator here).
   */
  private static List<Tracked> runningJobsInBulk(
      LocalCloud cloud, PollFixture fx, int total, int perRun) throws Exception {
    List<RunId> runs = new ArrayList<>();
    for (int i = 0; i < total / perRun; i++) {
      runs.add(RunId.of("batchdrop-inbox", "bench-" + i + ".jsonl", 1));
    }
    List<Map.Entry<String, Map<String, Object>>> runDocs = new ArrayList<>();
    for (RunId run : runs) {
      runDocs.add(
          Map.entry(
              run.value(),
              Map.of(
                  RunDoc.STATE,
                  RunState.RUNNING.name(),
                  RunDoc.MODEL,
                  PollFixture.MODEL,
                  RunProgress.JOB_STATES,
                  Map.of("JOB_STATE_RUNNING", (long) perRun))));
    }
    writeInBatches(cloud, RunDoc.COLLECTION, runDocs);
    ExecutorService creators = Executors.newFixedThreadPool(16);
    List<Tracked> jobs = new ArrayList<>();
    List<Map.Entry<String, Map<String, Object>>> jobDocs = new ArrayList<>();
    try {
      List<Future<Map.Entry<Tracked, Map<String, Object>>>> created = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        RunId run = runs.get(i % runs.size());
        int shard = i / runs.size() + 1;
        created.add(
            creators.submit(
                () -> {
                  Map.Entry<Tracked, Map<String, Object>> job = fx.submittedDocument(run, shard);
                  String name = job.getKey().vertexName();
                  cloud.vertexEmulator().forceState(name, JobState.JOB_STATE_RUNNING);
                  Map<String, Object> doc = new HashMap<>(job.getValue());
                  doc.putAll(
                      Observation.of(cloud.jobService().getBatchPredictionJob(name)).fields());
                  return Map.entry(job.getKey(), doc);
                }));
      }
      for (Future<Map.Entry<Tracked, Map<String, Object>>> job : created) {
        Map.Entry<Tracked, Map<String, Object>> done = job.get();
        jobs.add(done.getKey());
        jobDocs.add(Map.entry(done.getKey().jobId().value(), done.getValue()));
      }
    } finally {
      creators.shutdownNow();
    }
    writeInBatches(cloud, JobDoc.COLLECTION, jobDocs);
    return jobs;
  }

  private static void writeInBatches(
      LocalCloud cloud, String collection, List<Map.Entry<String, Map<String, Object>>> docs)
      throws Exception {
    for (int start = 0; start < docs.size(); start += 500) {
      WriteBatch batch = cloud.firestore().batch();
      for (Map.Entry<String, Map<String, Object>> doc :
          docs.subList(start, Math.min(docs.size(), start + 500))) {
        batch.set(cloud.firestore().collection(collection).document(doc.getKey()), doc.getValue());
      }
      batch.commit().get(60, java.util.concurrent.TimeUnit.SECONDS);
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

  /**
   * What the written job documents hold: a finished job's record, its confirmed events and its
   * hand-off mark are three writes of one document, so the count of documents alone cannot tell a
   * change recorded in full from one whose follow-up writes failed.
   */
  private static String writtenByKind(
      List<QueryDocumentSnapshot> docs, Set<String> written, Set<String> changing) {
    int notChanging = 0;
    int terminal = 0;
    int eventsPending = 0;
    int handedOff = 0;
    int handOffUnmarked = 0;
    for (QueryDocumentSnapshot doc : docs) {
      if (!written.contains(doc.getId())) {
        continue;
      }
      if (!changing.contains(doc.getId())) {
        notChanging++;
      }
      if (Boolean.FALSE.equals(doc.getBoolean(JobDoc.ACTIVE))) {
        terminal++;
        if (doc.getLong(JobDoc.HANDOFF_COUNT) != null) {
          handedOff++;
        } else {
          handOffUnmarked++;
        }
      }
      if (doc.get(io.batchdrop.cloud.events.EventOutbox.DUE) != null) {
        eventsPending++;
      }
    }
    return String.format(
        java.util.Locale.ROOT,
        "job documents written %d: of jobs that did not change %d; terminal state recorded %d,"
            + " of which hand-off marked %d, hand-off unmarked %d; events left pending %d;"
            + " changed jobs not written %d",
        written.size(),
        notChanging,
        terminal,
        handedOff,
        handOffUnmarked,
        eventsPending,
        changing.stream().filter(id -> !written.contains(id)).count());
  }

  private static List<QueryDocumentSnapshot> jobDocs(LocalCloud cloud) throws Exception {
    return cloud.firestore().collection(JobDoc.COLLECTION).get().get().getDocuments();
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
