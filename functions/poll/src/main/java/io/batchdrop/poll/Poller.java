package io.batchdrop.poll;

import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.RunProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;

/**
 * One poll call: select the due jobs (or, when more are due than one call takes, publish the tick's
 * slices for parallel calls), poll them on a small fixed pool (bounded Vertex concurrency), resend
 * unconfirmed hand-offs, bring the touched runs up to date, and stop starting new work once the
 * time budget is spent; what is left stays due for the next call.
 */
final class Poller {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private final DueJobs due;
  private final JobPoller jobs;
  private final HandOff handOff;
  private final PublishWatch publishWatch;
  private final RunProgress runs;
  private final EventOutbox outbox;
  private final RunWatchdog runWatchdog;
  private final com.google.cloud.firestore.Firestore firestore;
  private final ExecutorService pool;
  private final BatchdropConfig.Poll settings;
  private final Clock clock;
  private final Optional<SliceFanOut> fanOut;

  Poller(CloudClients clients, ExecutorService pool, Clock clock) {
    BatchdropConfig config = clients.config();
    this.settings = config.poll();
    this.pool = pool;
    this.clock = clock;
    EventPublisher events = new EventPublisher(clients.publisher(config.topics().events()), clock);
    Watchdog watchdog = new Watchdog(settings);
    this.due = new DueJobs(clients.firestore());
    this.fanOut =
        config.poll().slicesTopic().map(topic -> new SliceFanOut(clients.publisher(topic)));
    this.handOff =
        new HandOff(
            clients.publisher(config.poll().completionsTopic()), clients.firestore(), clock);
    this.publishWatch = new PublishWatch(clients.firestore(), settings);
    this.runs = new RunProgress(clients.firestore(), clock);
    this.firestore = clients.firestore();
    this.outbox = new EventOutbox(clients.firestore(), events);
    this.runWatchdog = new RunWatchdog(clients, due, events, outbox, runs, clock);
    JobSubmission recovery =
        new JobSubmission(
            clients.firestore(),
            clients.jobCreators(JobCreator.Backoff.SLEEP, clock),
            config,
            events,
            clock);
    this.jobs =
        new JobPoller(
            clients.backends(),
            new JobRecorder(clients.firestore(), watchdog),
            recovery,
            watchdog,
            handOff,
            outbox,
            settings);
  }

  /**
   * The Scheduler's call. When more jobs are due than one call takes and a fan-out topic is
   * configured, it cuts the id space into slices, publishes them for parallel invocations ({@link
   * #pollSlice}) and polls none itself; otherwise it polls the due jobs itself. Either way it then
   * resends unconfirmed hand-offs, sends what earlier calls left in outboxes and watches runs.
   */
  PollSummary poll(String scheduleTime) throws PollUnavailableException, InterruptedException {
    Instant start = clock.instant();
    Instant deadline = start.plus(settings.budget());
    List<QueryDocumentSnapshot> dueJobs = List.of();
    List<QueryDocumentSnapshot> unconfirmed;
    List<QueryDocumentSnapshot> pendingEvents;
    List<QueryDocumentSnapshot> staleRuns;
    SliceFanOut.Sent slices = SliceFanOut.Sent.NONE;
    long dueCount;
    try {
      dueCount = fanOut.isEmpty() ? -1 : due.countActive(start);
      if (dueCount > settings.batchSize()) {
        slices = fanOut.get().publish(PollSlice.partition(sliceCount(dueCount), start));
      } else {
        // One more than a call takes tells whether more are due than it takes.
        dueJobs = due.active(start, settings.batchSize() + 1);
      }
      unconfirmed =
          due.unconfirmedHandOffs(start.minus(settings.handoffResend()), settings.batchSize());
      // Events recorded by an earlier call (or by a call still sending them: a minute's grace).
      pendingEvents = due.pendingEvents(start.minus(Duration.ofMinutes(1)), settings.batchSize());
      staleRuns = due.staleRuns(settings.batchSize());
    } catch (ExecutionException | TimeoutException e) {
      throw new PollUnavailableException("Firestore did not answer the selection of due jobs", e);
    }
    LOG.info()
        .with("due", dueCount > settings.batchSize() ? dueCount : dueJobs.size())
        .with("slices", slices.sent())
        .with("unconfirmed_handoffs", unconfirmed.size())
        .with("schedule_time", scheduleTime)
        .log("poll call started");

    boolean crowded = dueJobs.size() > settings.batchSize();
    if (crowded) {
      if (fanOut.isEmpty()) {
        LOG.warning()
            .with("batch", settings.batchSize())
            .log(
                "more jobs are due than one call takes and BATCHDROP_POLL_SLICES_TOPIC is not"
                    + " set; the rest wait for the next tick");
      }
      dueJobs = dueJobs.subList(0, settings.batchSize());
    }
    Polling polling = startJobs(dueJobs, crowded, deadline);
    List<Future<Boolean>> resent = new ArrayList<>();
    for (QueryDocumentSnapshot doc : unconfirmed) {
      resent.add(pool.submit(() -> clock.instant().isBefore(deadline) && resend(doc)));
    }

    List<Future<Integer>> sentEvents = new ArrayList<>();
    for (QueryDocumentSnapshot doc : pendingEvents) {
      sentEvents.add(pool.submit(() -> clock.instant().isBefore(deadline) ? sendPending(doc) : 0));
    }

    Map<JobOutcome, Integer> outcomes = new EnumMap<>(JobOutcome.class);
    Set<String> touchedRuns = new LinkedHashSet<>();
    for (QueryDocumentSnapshot run : staleRuns) {
      touchedRuns.add(run.getId());
    }
    polling.collect(outcomes, touchedRuns);
    int resentCount = 0;
    for (Future<Boolean> future : resent) {
      if (Boolean.TRUE.equals(resultOf(future))) {
        resentCount++;
      }
    }
    int eventsSent = 0;
    for (Future<Integer> future : sentEvents) {
      try {
        eventsSent += future.get();
      } catch (ExecutionException e) {
        // counted as not sent; logged where it failed
      }
    }
    int runErrors = refresh(touchedRuns, deadline) + slices.failed();
    int stalledRuns = 0;
    if (clock.instant().isBefore(deadline)) {
      try {
        stalledRuns = runWatchdog.check(clock.instant());
      } catch (ExecutionException | TimeoutException e) {
        runErrors++;
        LOG.warning().failure(e).log("stalled runs not selected; the next call tries again");
      } catch (Exception e) {
        runErrors++;
        LOG.warning().failure(e).log("run watchdog failed");
      }
    }
    PollSummary summary =
        summary(
            dueJobs.size(),
            outcomes,
            resentCount,
            runErrors,
            eventsSent,
            stalledRuns,
            slices.sent(),
            start);
    LOG.info()
        .with("polled", summary.polled())
        .with("changed", summary.changed())
        .with("completed", summary.completed())
        .with("recovered", summary.recovered())
        .with("resent", summary.resent())
        .with("errors", summary.errors())
        .with("left", summary.left())
        .with("slices", summary.slices())
        .with("took_ms", summary.tookMillis())
        .log("poll call finished");
    return summary;
  }

  /**
   * One slice of a crowded tick: its due jobs, polled and recorded exactly as the Scheduler's call
   * polls them, then the runs they belong to refreshed. It starts no job after its tick is over
   * (the next tick's slices take over) nor after the call's time budget.
   *
   * @throws PollUnavailableException when Firestore does not answer the selection: the slice is
   *     worth delivering again
   */
  PollSummary pollSlice(PollSlice slice) throws PollUnavailableException, InterruptedException {
    Instant start = clock.instant();
    Instant budgetEnd = start.plus(settings.budget());
    Instant tickEnd = slice.asOf().plus(PollSchedule.TICK);
    Instant deadline = budgetEnd.isBefore(tickEnd) ? budgetEnd : tickEnd;
    List<QueryDocumentSnapshot> dueJobs;
    try {
      dueJobs = due.activeIn(slice, start, settings.batchSize() + 1);
    } catch (ExecutionException | TimeoutException e) {
      throw new PollUnavailableException(
          "Firestore did not answer the selection of slice " + slice.label(), e);
    }
    boolean crowded = dueJobs.size() > settings.batchSize();
    if (crowded) {
      LOG.warning()
          .with("slice", slice.label())
          .with("batch", settings.batchSize())
          .log("more jobs are due in this slice than one call takes; the rest wait a tick");
      dueJobs = dueJobs.subList(0, settings.batchSize());
    }
    Map<JobOutcome, Integer> outcomes = new EnumMap<>(JobOutcome.class);
    Set<String> touchedRuns = new LinkedHashSet<>();
    startJobs(dueJobs, crowded, deadline).collect(outcomes, touchedRuns);
    int runErrors = refresh(touchedRuns, deadline);
    PollSummary summary = summary(dueJobs.size(), outcomes, 0, runErrors, 0, 0, 0, start);
    LOG.info()
        .with("slice", slice.label())
        .with("from", slice.from())
        .with("to", slice.to())
        .with("polled", summary.polled())
        .with("changed", summary.changed())
        .with("completed", summary.completed())
        .with("errors", summary.errors())
        .with("left", summary.left())
        .with("took_ms", summary.tookMillis())
        .log("poll slice finished");
    return summary;
  }

  /**
   * Slices hold on average half of what one call takes, so a slice that drew more jobs than its
   * share (a run's jobs share a prefix) still fits.
   */
  private int sliceCount(long dueCount) {
    long wanted = (2 * dueCount + settings.batchSize() - 1) / settings.batchSize();
    return (int) Math.max(2, Math.min(PollSlice.MAX_SLICES, wanted));
  }

  /** The due jobs submitted to the pool; {@link Polling#collect} waits for their outcomes. */
  private Polling startJobs(
      List<QueryDocumentSnapshot> dueJobs, boolean crowded, Instant deadline) {
    String caller = "poll-" + UUID.randomUUID();
    List<Future<JobOutcome>> polled = new ArrayList<>();
    for (QueryDocumentSnapshot doc : dueJobs) {
      polled.add(
          pool.submit(
              () ->
                  clock.instant().isBefore(deadline)
                      ? jobs.poll(doc, clock.instant(), crowded, caller)
                      : JobOutcome.LEFT));
    }
    return new Polling(dueJobs, polled);
  }

  private record Polling(List<QueryDocumentSnapshot> docs, List<Future<JobOutcome>> futures) {
    void collect(Map<JobOutcome, Integer> outcomes, Set<String> touchedRuns)
        throws InterruptedException {
      for (int i = 0; i < futures.size(); i++) {
        JobOutcome outcome = outcomeOf(futures.get(i));
        outcomes.merge(outcome, 1, Integer::sum);
        if (outcome == JobOutcome.CHANGED
            || outcome == JobOutcome.COMPLETED
            || outcome == JobOutcome.RECOVERED) {
          touchedRuns.add(docs.get(i).getString(JobDoc.RUN_ID));
        }
      }
    }
  }

  /**
   * Runs refreshed at once by one call or slice. Each refresh queries the run's jobs; with 20
   * slices of 16 threads each all querying at once the emulator (and a real database's locks)
   * drowned (bench/poll.md), while one at a time left a slice of 25 finished runs a minute of
   * refreshes.
   */
  static final int REFRESH_CONCURRENCY = 4;

  /**
   * Brings the runs up to date, {@link #REFRESH_CONCURRENCY} at a time, until {@code deadline}: a
   * run not reached by then is marked stale and the next call refreshes it, so the refreshes never
   * push a call past its tick. Returns how many refreshes failed (also marked stale).
   */
  private int refresh(Set<String> touchedRuns, Instant deadline) throws InterruptedException {
    Semaphore slots = new Semaphore(REFRESH_CONCURRENCY);
    List<Future<Boolean>> refreshed = new ArrayList<>();
    for (String runId : touchedRuns) {
      slots.acquire();
      refreshed.add(
          pool.submit(
              () -> {
                try {
                  return refreshOrMarkStale(runId, deadline);
                } finally {
                  slots.release();
                }
              }));
    }
    int runErrors = 0;
    for (Future<Boolean> future : refreshed) {
      if (!Boolean.TRUE.equals(resultOf(future))) {
        runErrors++;
      }
    }
    return runErrors;
  }

  /** False when the refresh failed; a run past the deadline is left stale, which is no failure. */
  private boolean refreshOrMarkStale(String runId, Instant deadline) {
    if (!clock.instant().isBefore(deadline)) {
      markStale(runId);
      LOG.info()
          .run(runId)
          .log("run progress left stale at the call's end; the next call refreshes it");
      return true;
    }
    try {
      runs.refresh(runId);
      return true;
    } catch (ExecutionException | RuntimeException e) {
      markStale(runId);
      LOG.warning()
          .run(runId)
          .failure(e)
          .log("run progress not updated; marked stale, the next call refreshes it");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private PollSummary summary(
      int taken,
      Map<JobOutcome, Integer> outcomes,
      int resent,
      int otherErrors,
      int eventsSent,
      int stalledRuns,
      int slices,
      Instant start) {
    return new PollSummary(
        taken - count(outcomes, JobOutcome.LEFT),
        count(outcomes, JobOutcome.CHANGED) + count(outcomes, JobOutcome.COMPLETED),
        count(outcomes, JobOutcome.COMPLETED),
        count(outcomes, JobOutcome.RECOVERED),
        resent,
        count(outcomes, JobOutcome.ERROR) + otherErrors,
        count(outcomes, JobOutcome.LEFT),
        eventsSent,
        stalledRuns,
        slices,
        Duration.between(start, clock.instant()).toMillis());
  }

  private int sendPending(QueryDocumentSnapshot doc) {
    try {
      return outbox.send(doc.getReference());
    } catch (Exception e) {
      LOG.warning()
          .run(JobFields.string(doc, JobDoc.RUN_ID))
          .job(doc.getId())
          .failure(e)
          .log("pending events not sent; the next call retries");
      return 0;
    }
  }

  /** Best effort: if even this fails, the run's next job change refreshes it. */
  private void markStale(String runId) {
    try {
      firestore
          .collection(io.batchdrop.cloud.run.RunDoc.COLLECTION)
          .document(runId)
          .update(RunProgress.STALE, true)
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warning().run(runId).log("run not marked stale");
    }
  }

  /** Resends the hand-off, then watches the job's publish, whether or not the resend went out. */
  private boolean resend(QueryDocumentSnapshot doc) {
    boolean sent;
    try {
      handOff.send(HandOffMessage.from(doc), true);
      sent = true;
    } catch (Exception e) {
      LOG.warning()
          .run(JobFields.string(doc, JobDoc.RUN_ID))
          .job(doc.getId())
          .failure(e)
          .log("hand-off resend failed; the next call retries");
      sent = false;
    }
    watchPublish(doc);
    return sent;
  }

  private void watchPublish(QueryDocumentSnapshot doc) {
    try {
      if (publishWatch.check(doc, clock.instant())) {
        LOG.warning()
            .run(JobFields.string(doc, JobDoc.RUN_ID))
            .job(doc.getId())
            .with("threshold", PublishWatch.THRESHOLD)
            .log("job stuck: publish has not finished it; its hand-off is resent on");
        outbox.send(doc.getReference());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warning()
          .run(JobFields.string(doc, JobDoc.RUN_ID))
          .job(doc.getId())
          .failure(e)
          .log("publish watch not recorded; the next resend tries again");
    }
  }

  private static JobOutcome outcomeOf(Future<JobOutcome> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return JobOutcome.ERROR;
    }
  }

  private static Boolean resultOf(Future<Boolean> future) throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return false;
    }
  }

  private static int count(Map<JobOutcome, Integer> outcomes, JobOutcome outcome) {
    return outcomes.getOrDefault(outcome, 0);
  }
}
