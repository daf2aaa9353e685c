package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.BlobId;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.events.RunStuck;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.firestore.LeaseClaim;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobRecords;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.results.InvalidRowPublisher;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.cloud.run.WorkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Revisits runs that {@code submit} left before {@code SUBMITTED} with nobody owning them (the
 * lease expired, no redelivery came). Their last sign of life is {@code updatedAt} (every lease
 * write, heartbeat and release included). Past {@code BATCHDROP_RUN_STUCK_MINUTES}: {@code
 * run.stuck} ({@code stalled}) once. Past {@code BATCHDROP_RUN_MAX_AGE_HOURS}: poll takes the run's
 * lease and ends it from where it stands. A run whose every shard has its Vertex job becomes {@code
 * SUBMITTED}; otherwise it is {@code FAILED} with the reason: shards without a job get a job
 * document in {@code CREATE_FAILED} handed to {@code publish} (which publishes their rows as {@code
 * failed} with the reason), jobs already created are cancelled (all or nothing, as in submit), and
 * invalid rows not yet published get their {@code invalid} messages. A run whose submit deliveries
 * failed {@code BATCHDROP_RUN_MAX_FAILURES} times for a transient reason (counted by submit as it
 * gives its lease up) is ended the same way, at once, with that count and the last error as the
 * reason: its deliveries keep meeting the same problem, and Eventarc would retry them for a day.
 */
final class RunWatchdog {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private static final int RUNS_PER_CALL = 20;
  private static final Timestamp EPOCH = Timestamp.ofTimeSecondsAndNanos(0, 0);
  private final CloudClients clients;
  private final Firestore firestore;
  private final BatchdropConfig config;
  private final DueJobs due;
  private final EventPublisher events;
  private final EventOutbox outbox;
  private final RunProgress runs;
  private final WorkLayout layout;
  private final Clock clock;

  RunWatchdog(
      CloudClients clients,
      DueJobs due,
      EventPublisher events,
      EventOutbox outbox,
      RunProgress runs,
      Clock clock) {
    this.clients = clients;
    this.firestore = clients.firestore();
    this.config = clients.config();
    this.due = due;
    this.events = events;
    this.outbox = outbox;
    this.runs = runs;
    this.layout = new WorkLayout(config.workBucket());
    this.clock = clock;
  }

  /** Returns how many runs were reported or ended. */
  int check(Instant now) throws Exception {
    BatchdropConfig.Poll settings = config.poll();
    int acted = 0;
    for (QueryDocumentSnapshot run :
        due.stalledRuns(now.minus(settings.runStuck()), RUNS_PER_CALL)) {
      try {
        if (ownedAt(run, now)) {
          continue; // owned right now: a slow submit, not a stuck one
        }
        Duration idle =
            Duration.between(Timestamps.toInstant(run.getTimestamp(RunDoc.UPDATED_AT)), now);
        if (idle.compareTo(settings.runMaxAge()) >= 0) {
          acted +=
              end(
                      run,
                      "submit did not finish the run: nobody owned it for "
                          + idle.toMinutes()
                          + " minutes (BATCHDROP_RUN_MAX_AGE_HOURS)")
                  ? 1
                  : 0;
        } else {
          acted += reportOnce(run.getReference(), "stalled", idle) ? 1 : 0;
        }
      } catch (Exception e) {
        LOG.warning()
            .run(run.getId())
            .failure(e)
            .with("reason", String.valueOf(e.getMessage()))
            .log("stalled run not handled; the next call tries again");
      }
    }
    for (QueryDocumentSnapshot run : due.failingRuns(settings.runMaxFailures(), RUNS_PER_CALL)) {
      if (ownedAt(run, now)) {
        continue; // a delivery is trying again right now; it may yet succeed
      }
      try {
        acted +=
            end(
                    run,
                    "submit failed "
                        + FieldTypes.number(run, RunDoc.SUBMIT_FAILURES)
                        + " times for a reason a retry might fix (BATCHDROP_RUN_MAX_FAILURES is "
                        + settings.runMaxFailures()
                        + "); the last: "
                        + FieldTypes.string(run, RunDoc.LAST_FAILURE))
                ? 1
                : 0;
      } catch (Exception e) {
        LOG.warning()
            .run(run.getId())
            .failure(e)
            .with("reason", String.valueOf(e.getMessage()))
            .log("failing run not handled; the next call tries again");
      }
    }
    return acted;
  }

  /** A lease whose end is not a timestamp holds nothing (as {@link DocumentLease} takes it). */
  private static boolean ownedAt(DocumentSnapshot run, Instant now) {
    Timestamp expires = FieldTypes.timestamp(run, DocumentLease.EXPIRES_AT);
    return expires != null && Timestamps.toInstant(expires).isAfter(now);
  }

  private boolean reportOnce(DocumentReference ref, String threshold, Duration idle)
      throws ExecutionException, InterruptedException {
    Instant now = clock.instant();
    boolean recorded =
        firestore
            .runTransaction(
                tx -> {
                  DocumentSnapshot run = tx.get(ref).get();
                  if (!RunState.VALIDATING.name().equals(run.getString(RunDoc.STATE))
                      || run.get("stuck." + threshold) != null) {
                    return false;
                  }
                  Map<String, Object> updates = new HashMap<>();
                  updates.put("stuck." + threshold, Timestamps.of(now));
                  updates.putAll(
                      EventOutbox.record(
                          run,
                          List.of(
                              new RunStuck(
                                  ref.getId(),
                                  RunState.VALIDATING.name(),
                                  threshold,
                                  "no invocation has owned the run for "
                                      + idle.toMinutes()
                                      + " minutes; poll ends it after "
                                      + config.poll().runMaxAge().toMinutes()
                                      + " minutes (BATCHDROP_RUN_MAX_AGE_HOURS)")),
                          now));
                  // updatedAt stays: it is the run's last sign of life, which this is not.
                  tx.update(ref, updates);
                  return true;
                })
            .get();
    if (recorded) {
      LOG.warning().run(ref.getId()).with("threshold", threshold).log("run stuck");
      outbox.send(ref);
    }
    return recorded;
  }

  private boolean end(DocumentSnapshot seen, String why) throws Exception {
    String runId = seen.getId();
    boolean unreadable = RunFields.problem(seen).isPresent();
    List<Map<String, Object>> shards = unreadable ? List.of() : shards(seen);
    // A create under a live claim may still be answered: leave the run for a later call.
    for (Map<String, Object> shard : shards) {
      DocumentSnapshot job = jobRef(runId, shard).get().get();
      Timestamp until = job.getTimestamp(JobDoc.CREATOR_UNTIL);
      if (JobDoc.CREATING.equals(job.getString(JobDoc.STATE))
          && until != null
          && Timestamps.toInstant(until).isAfter(clock.instant())) {
        return false;
      }
    }
    try (DocumentLease lease =
        new DocumentLease(firestore, seen.getReference(), config.leaseDuration(), clock)) {
      LeaseClaim claim =
          lease.acquire(d -> RunState.valueOf(d.getString(RunDoc.STATE)).isPastSubmit());
      if (claim.outcome() != LeaseClaim.Outcome.CLAIMED
          && claim.outcome() != LeaseClaim.Outcome.TAKEN_OVER) {
        return false;
      }
      try {
        Optional<String> problem = RunFields.problem(claim.document());
        if (problem.isPresent()) {
          // Every call would fail on it the same way: the run is decided now, the field named.
          failRun(
              lease,
              runId,
              why
                  + "; its run document cannot be read ("
                  + problem.get()
                  + "), so its rows get no result messages; upload the file again");
          return true;
        }
        if (unreadable) {
          lease.release(); // corrected since it was selected: the next call ends it as it is
          return false;
        }
        return endClaimed(claim.document(), lease, shards, runId, why);
      } catch (Exception e) {
        lease.release(); // the next call takes over at once, not after the lease runs out
        throw e;
      }
    }
  }

  private boolean endClaimed(
      DocumentSnapshot run,
      DocumentLease lease,
      List<Map<String, Object>> shards,
      String runId,
      String why)
      throws Exception {
    if (!Boolean.TRUE.equals(run.getBoolean(RunDoc.STAGED))) {
      failRun(lease, runId, why + " and its file was never fully validated; upload it again");
      return true;
    }
    publishInvalidRows(run, lease);
    List<String> vertexNames = new ArrayList<>();
    int withoutJob = 0;
    for (Map<String, Object> shard : shards) {
      String vertexName = settleShard(run, shard, why);
      if (vertexName == null) {
        withoutJob++;
      } else {
        vertexNames.add(vertexName);
      }
    }
    if (withoutJob == 0) {
      lease.complete(
          Map.of(
              RunDoc.STATE, RunState.SUBMITTED.name(),
              RunDoc.SUBMITTED_AT, Timestamps.of(clock.instant())));
      LOG.warning().run(runId).log("stalled run finished: every shard has its job");
      runs.refresh(runId);
      return true;
    }
    clients.backends().cancelEach(runId, vertexNames);
    failRun(
        lease,
        runId,
        why
            + "; "
            + withoutJob
            + " of "
            + shards.size()
            + " shard(s) never got a batch job, their rows are failed"
            + (vertexNames.isEmpty()
                ? ""
                : "; the " + vertexNames.size() + " job(s) created were cancelled"));
    return true;
  }

  /** The shard's Vertex job name, or null after making sure its rows are handed off as failed. */
  private String settleShard(DocumentSnapshot run, Map<String, Object> shard, String why)
      throws ExecutionException, InterruptedException {
    JobId jobId = JobId.parse(jobRef(run.getId(), shard).getId());
    return JobRecords.settleAsFailed(
        firestore,
        JobSubmission.NewJob.inLayout(
            jobId,
            run.getString(RunDoc.MODEL),
            ((Number) shard.get("rows")).longValue(),
            ((Number) shard.get("firstRow")).longValue(),
            ((Number) shard.get("lastRow")).longValue(),
            layout,
            backendOf(run)),
        why,
        clock.instant());
  }

  private void publishInvalidRows(DocumentSnapshot run, DocumentLease lease) throws Exception {
    Long invalid = run.getLong(RunDoc.COUNTS + ".invalid");
    if (invalid == null
        || invalid == 0
        || Boolean.TRUE.equals(run.getBoolean(RunDoc.INVALID_PUBLISHED))) {
      return;
    }
    new InvalidRowPublisher(clients.storage(), clock)
        .publishForRun(
            run,
            lease,
            BlobId.of(config.workBucket(), layout.invalidObject(new RunId(run.getId()))),
            run.getString(RunDoc.MODEL),
            run.getString(RunDoc.SOURCE + ".uri"),
            new ResultPublisher(
                clients.publisher(config.topics().results()), Duration.ofSeconds(60)));
  }

  private void failRun(DocumentLease lease, String runId, String reason) {
    events.publish(RunCompleted.failedEarly(runId, RunState.FAILED.name(), reason));
    lease.complete(
        Map.of(
            RunDoc.STATE,
            RunState.FAILED.name(),
            RunDoc.REASON,
            reason,
            RunDoc.COMPLETED_AT,
            Timestamps.of(clock.instant()),
            "stuck.ended",
            Timestamps.of(clock.instant())));
    LOG.error().run(runId).with("reason", reason).log("stalled run failed");
  }

  /**
   * The backend submit chose for the run: its shards' job documents must name it, since publish and
   * the operator commands follow the job's backend. Runs from before there were two say none.
   */
  private static String backendOf(DocumentSnapshot run) {
    String backend = run.getString(RunDoc.BACKEND);
    return backend == null ? Backends.VERTEX : backend;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> shards(DocumentSnapshot run) {
    Object list = run.get(RunDoc.SHARDS);
    return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private DocumentReference jobRef(String runId, Map<String, Object> shard) {
    JobId jobId = new JobId(new RunId(runId), ((Number) shard.get("shard")).intValue(), 1);
    return firestore.collection(JobDoc.COLLECTION).document(jobId.value());
  }
}
