package io.batchdrop.publish;

import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.LeaseClaim;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.CreateFailure;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.PriceTable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishes one finished job attempt under a lease on {@code jobs/{jobId}}: reads it through
 * ({@link JobDrain}), submits the next attempt for the rows that may still succeed (through the one
 * job-creation path), closes the run when this was the last attempt of its last shard ({@link
 * RunCloser}) and marks the job done. A delivery that finds the job done, leased by a live owner or
 * held by another transaction returns at once: poll re-sends the hand-off while {@code
 * publish.done} is false.
 */
final class JobPublisher {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");
  private static final Duration FLUSH_DEADLINE = Duration.ofSeconds(120);
  private final CloudClients clients;
  private final BatchdropConfig config;
  private final PriceTable prices;
  private final Clock clock;
  private final JobCreator.Backoff backoff;

  JobPublisher(CloudClients clients, PriceTable prices, Clock clock, JobCreator.Backoff backoff) {
    this.clients = clients;
    this.config = clients.config();
    this.prices = prices;
    this.clock = clock;
    this.backoff = backoff;
  }

  void handle(HandOffMessage handOff)
      throws IOException, InterruptedException, ExecutionException, CreateFailure {
    Instant started = clock.instant();
    PhaseTimes phases = new PhaseTimes(System.nanoTime());
    Firestore firestore = clients.firestore();
    DocumentReference jobRef = firestore.collection(JobDoc.COLLECTION).document(handOff.jobId());
    try (DocumentLease lease =
        new DocumentLease(firestore, jobRef, config.leaseDuration(), clock)) {
      LeaseClaim claim;
      try {
        claim = lease.acquire(doc -> Boolean.TRUE.equals(doc.get(JobDoc.PUBLISH_DONE)));
      } catch (ExecutionException e) {
        if (!FirestoreErrors.isContention(e)) {
          throw e;
        }
        // Another transaction holds the job: a delivery of the same hand-off taking it, or one
        // whose client went away mid-way. Like a live owner, it needs nothing of this delivery
        // (poll hands the job off again while it is not published); redelivering every such
        // delivery is what piled them up against one document until none got through.
        LOG.info()
            .job(handOff.jobId())
            .log(
                "another transaction holds this job; poll hands it off again if it stays unpublished");
        return;
      }
      switch (claim.outcome()) {
        case GONE -> {
          LOG.warning().job(handOff.jobId()).log("hand-off for a job that does not exist; dropped");
          return;
        }
        case DONE -> {
          LOG.info().job(handOff.jobId()).log("duplicate hand-off: the job is published");
          return;
        }
        case BUSY -> {
          LOG.info().job(handOff.jobId()).log("another invocation is publishing this job");
          return;
        }
        case TAKEN_OVER ->
            LOG.warning().job(handOff.jobId()).log("taking over a publish whose lease expired");
        case CLAIMED -> {}
      }
      DocumentSnapshot job = claim.document();
      java.util.Optional<String> malformed = JobFields.problem(job);
      if (malformed.isPresent()) {
        unreadable(
            JobId.parse(job.getId()), lease, "the job document cannot be read: " + malformed.get());
        return;
      }
      if (!finished(job)) {
        lease.release();
        LOG.warning()
            .job(handOff.jobId())
            .with("state", job.getString(JobDoc.STATE))
            .log("hand-off for a job that has not finished; poll hands it off again when it has");
        return;
      }
      lease.startHeartbeat();
      phases.lap("lease");
      try {
        publish(job, lease, started, phases);
      } catch (LeaseLostException e) {
        throw e;
      } catch (Exception | Error e) {
        lease.release();
        throw e;
      }
    }
  }

  private void publish(
      DocumentSnapshot doc, DocumentLease lease, Instant started, PhaseTimes phases)
      throws IOException, InterruptedException, ExecutionException, CreateFailure {
    Firestore firestore = clients.firestore();
    JobId jobId = JobId.parse(doc.getId());
    DocumentSnapshot run =
        get(firestore.collection(RunDoc.COLLECTION).document(jobId.run().value()));
    FinishedJob job;
    Progress p;
    try {
      job = FinishedJob.of(doc, run, config.publish().maxAttempts());
      p = Progress.of(doc, job.firstRow(), job.lastRow());
    } catch (IllegalArgumentException e) {
      unreadable(jobId, lease, e.getMessage());
      return;
    }
    ResultSender sender =
        new ResultSender(
            new ResultPublisher(clients.publisher(config.topics().results()), FLUSH_DEADLINE),
            job.context(),
            job.sourceUri(),
            clock,
            config.publish().spillInlineMedia());
    CheckpointTimes times = new CheckpointTimes();
    try (Checkpoints checkpoints =
        new Checkpoints(
            sender, new CheckpointStore(doc.getReference(), lease, clock), times, jobId.value())) {
      drain(job, doc, p, lease, sender, checkpoints, times, started, phases);
    } catch (EarlierAttemptUnreadable e) {
      unreadable(jobId, lease, e.getMessage());
    }
  }

  private void drain(
      FinishedJob job,
      DocumentSnapshot doc,
      Progress p,
      DocumentLease lease,
      ResultSender sender,
      Checkpoints checkpoints,
      CheckpointTimes times,
      Instant started,
      PhaseTimes phases)
      throws IOException, InterruptedException, ExecutionException, CreateFailure {
    JobId jobId = job.jobId();
    WorkLayout layout = new WorkLayout(config.workBucket());
    EventPublisher events = new EventPublisher(clients.publisher(config.topics().events()), clock);
    RunCloser closer =
        new RunCloser(clients.firestore(), clients.storage(), layout, events, clock, prices);
    closer.markPublishing(jobId.run());
    Instant stopAt = started.plus(config.publish().budget());
    JobDrain drain = new JobDrain(clients.storage(), config, prices, clock);
    LOG.info()
        .run(jobId.run())
        .job(jobId)
        .with("phase", p.phase.name())
        .with("file", p.file)
        .with("offset", p.offset)
        .log("publishing job");
    phases.lap("startup");
    if (p.phase == Progress.Phase.READING) {
      JobDrain.Outcome read =
          drain.readOutputs(job, p, sender, checkpoints, stopAt, () -> earlierAttempts(jobId));
      phases.lap("read");
      if (read == JobDrain.Outcome.OUT_OF_TIME) {
        continueLater(doc, lease, p, times, phases);
        return;
      }
      p.phase = Progress.Phase.LEFTOVERS;
      p.leftoverOffset = 0;
      checkpoints.now(p);
      phases.lap("read_checkpoint");
    }
    if (p.phase == Progress.Phase.LEFTOVERS) {
      JobId next = new JobId(jobId.run(), jobId.shard(), jobId.attempt() + 1);
      DocumentSnapshot begun =
          get(clients.firestore().collection(JobDoc.COLLECTION).document(next.value()));
      JobDrain.Leftovers leftovers;
      if (begun.exists()) {
        // An earlier invocation began the next attempt (its shard written whole, then its job
        // document, before any create call) and stopped before its checkpoint said so: the rows
        // are that attempt's now, even if the run was cancelled or failed since, or the staged
        // shard is gone; an outcome here would be a second one. Its shard is not written again.
        job = job.retrying();
        leftovers = JobDrain.Leftovers.readThrough(begun.getLong(JobDoc.ROWS));
      } else {
        leftovers =
            drain.leftovers(
                job, p, sender, checkpoints, stopAt, next, () -> earlierAttempts(jobId));
      }
      phases.lap("leftovers");
      if (leftovers.outcome() == JobDrain.Outcome.OUT_OF_TIME) {
        continueLater(doc, lease, p, times, phases);
        return;
      }
      if (leftovers.toRetry() > 0) {
        submitNextAttempt(job, next, leftovers.toRetry(), lease, events, layout);
        p.next = next.value();
        phases.lap("next_attempt");
      }
      p.phase = Progress.Phase.CLOSING;
      checkpoints.now(p);
      phases.lap("leftovers_checkpoint");
    }
    if (p.next == null) {
      closer.closeIfDone(jobId);
      phases.lap("close");
    }
    lease.complete(
        Map.of(JobDoc.PUBLISH_DONE, true, "publish.doneAt", Timestamps.of(clock.instant())));
    phases.lap("complete");
    phases
        .addTo(LOG.info())
        .run(jobId.run())
        .job(jobId)
        .with("succeeded", p.succeeded)
        .with("failed", p.failed)
        .with("missing", p.missing)
        .with("retried", p.retried)
        .with("duplicates", p.duplicates)
        .with("unattributed", p.unattributed)
        .with("next", p.next)
        .with("checkpoints", times.count())
        .with("checkpoint_stall_ms", times.stallMillis())
        .with("checkpoint_confirm_ms", times.confirmMillis())
        .with("checkpoint_write_ms", times.writeMillis())
        .log("job published");
  }

  /** The job documents of the shard's attempts before {@code job}'s. */
  private java.util.List<DocumentSnapshot> earlierAttempts(JobId job)
      throws IOException, InterruptedException {
    java.util.List<DocumentSnapshot> docs = new java.util.ArrayList<>();
    try {
      for (int attempt = 1; attempt < job.attempt(); attempt++) {
        JobId earlier = new JobId(job.run(), job.shard(), attempt);
        docs.add(get(clients.firestore().collection(JobDoc.COLLECTION).document(earlier.value())));
      }
    } catch (ExecutionException e) {
      throw new IOException("the earlier attempts of " + job + " could not be read: " + e, e);
    }
    return docs;
  }

  /**
   * A job document publish cannot read (a field missing or of the wrong type, a phase it does not
   * know): no redelivery fixes it, so it is decided once. Logged, the job marked published with the
   * {@code problem} (poll stops handing it off), and the run closed when it can be, carrying the
   * problem in {@code run.completed} and the report: the job's rows got no outcome from it.
   */
  private void unreadable(JobId jobId, DocumentLease lease, String reason)
      throws InterruptedException, ExecutionException {
    String problem =
        "job " + jobId + " could not be published, so its rows got no outcome from it: " + reason;
    LOG.error()
        .run(jobId.run())
        .job(jobId)
        .with("problem", problem)
        .log("a job document publish cannot read: marked published with the problem, not retried");
    lease.update(
        Map.of(
            Progress.PREFIX + "phase",
            Progress.Phase.CLOSING.name(),
            Progress.PREFIX + "problem",
            problem));
    WorkLayout layout = new WorkLayout(config.workBucket());
    EventPublisher events = new EventPublisher(clients.publisher(config.topics().events()), clock);
    new RunCloser(clients.firestore(), clients.storage(), layout, events, clock, prices)
        .closeIfDone(jobId);
    lease.complete(
        Map.of(JobDoc.PUBLISH_DONE, true, "publish.doneAt", Timestamps.of(clock.instant())));
  }

  /** The rows held back go to the next attempt, created exactly once however often this runs. */
  private void submitNextAttempt(
      FinishedJob job,
      JobId next,
      long rows,
      DocumentLease lease,
      EventPublisher events,
      WorkLayout layout)
      throws InterruptedException, ExecutionException, CreateFailure {
    Firestore firestore = clients.firestore();
    JobSubmission submission =
        new JobSubmission(firestore, clients.jobCreators(backoff, clock), config, events, clock);
    JobSubmission.NewJob attempt =
        JobSubmission.NewJob.inLayout(
            next, job.model(), rows, job.firstRow(), job.lastRow(), layout, job.backend());
    try {
      submission.submit(attempt, lease.owner(), () -> lease.update(Map.of()));
      LOG.info().run(next.run()).job(next).with("rows", rows).log("rows retried in a new attempt");
    } catch (CreateFailure failure) {
      if (!failure.permanent()) {
        throw failure;
      }
      // Recorded CREATE_FAILED and due for hand-off: its rows get their failed messages then.
      DocumentReference nextDoc = firestore.collection(JobDoc.COLLECTION).document(next.value());
      sendHandOff(HandOffMessage.from(get(nextDoc)));
    }
    try {
      firestore
          .collection(RunDoc.COLLECTION)
          .document(next.run().value())
          .update(RunDoc.JOB_IDS, com.google.cloud.firestore.FieldValue.arrayUnion(next.value()))
          .get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ExecutionException("Firestore did not record the next attempt within 60 s", e);
    }
  }

  /** Out of time: the checkpoint is saved; a new invocation continues from it. */
  private void continueLater(
      DocumentSnapshot doc,
      DocumentLease lease,
      Progress p,
      CheckpointTimes times,
      PhaseTimes phases)
      throws InterruptedException, ExecutionException {
    lease.release();
    sendHandOff(HandOffMessage.from(doc));
    phases.lap("hand_off");
    phases
        .addTo(LOG.info())
        .run(doc.getString(JobDoc.RUN_ID))
        .job(doc.getId())
        .with("phase", p.phase.name())
        .with("file", p.file)
        .with("offset", p.offset)
        .with("checkpoints", times.count())
        .with("checkpoint_stall_ms", times.stallMillis())
        .with("checkpoint_confirm_ms", times.confirmMillis())
        .with("checkpoint_write_ms", times.writeMillis())
        .log("time budget spent; continuing in a new invocation");
  }

  private void sendHandOff(HandOffMessage message) throws InterruptedException, ExecutionException {
    try {
      clients
          .publisher(config.publish().completionsTopic())
          .publish(message.encode())
          .get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ExecutionException("the hand-off was not confirmed within 60 s", e);
    }
  }

  private static DocumentSnapshot get(DocumentReference ref)
      throws InterruptedException, ExecutionException {
    try {
      return ref.get().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ExecutionException("Firestore did not answer within 60 s", e);
    }
  }

  static boolean finished(DocumentSnapshot job) {
    String state = job.getString(JobDoc.STATE);
    return JobDoc.CREATE_FAILED.equals(state)
        || JobDoc.LOST.equals(state)
        || VertexStates.TERMINAL.stream().anyMatch(t -> t.name().equals(state));
  }
}
