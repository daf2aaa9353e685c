package io.batchdrop.submit;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.PriceTables;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.RunAccepted;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.events.RunRejected;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.LeaseClaim;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.CreateFailure;
import io.batchdrop.cloud.jobs.JobBusyException;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobRecords;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.cloud.jobs.NoTimeLeftException;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.results.InvalidRowPublisher;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.staging.ShardLimitException;
import io.batchdrop.validation.FindingJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Takes one uploaded object generation from event to submitted Vertex jobs, exactly once however
 * often the event arrives. Each step records its result in the run document before the next starts,
 * so an invocation that takes over a dead one's run continues where it stopped.
 */
final class UploadSubmitter {
  private static final StructuredLog LOG = StructuredLog.forComponent("submit");
  private static final int FIRST_ERRORS = 20;

  /**
   * The run document's findings, by bytes: far below Firestore's 1 MiB entity limit whatever the
   * findings say; {@code report.json} keeps them all.
   */
  static final int FIRST_ERRORS_BYTES = 64 * 1024;

  private static final java.time.Duration FLUSH_DEADLINE = java.time.Duration.ofSeconds(120);

  /** Pub/Sub's limit on an attribute value. */
  private static final int MAX_ATTRIBUTE_BYTES = 1024;

  private final BatchdropConfig config;
  private final CloudClients clients;
  private final Clock clock;
  private final UploadScope scope;
  private final WorkLayout layout;
  private final JobCreator.Backoff backoff;
  private final PriceTable prices;

  UploadSubmitter(CloudClients clients, Clock clock, JobCreator.Backoff backoff) {
    this.config = clients.config();
    this.clients = clients;
    this.clock = clock;
    this.scope = new UploadScope(config);
    this.layout = new WorkLayout(config.workBucket());
    this.backoff = backoff;
    this.prices = PriceTables.of(config.submit().priceTable());
  }

  void handle(UploadedObject object) throws Exception {
    Instant invocationStart = clock.instant();
    Optional<String> ignored = scope.whyIgnored(object);
    if (ignored.isPresent()) {
      LOG.info()
          .with("bucket", object.bucket())
          .with("object", object.name())
          .with("reason", ignored.get())
          .log("upload ignored");
      return;
    }
    RunId runId = RunId.of(object.bucket(), object.name(), object.generation());
    try (DocumentLease lease =
        new DocumentLease(
            clients.firestore(),
            clients.firestore().collection(RunDoc.COLLECTION).document(runId.value()),
            config.leaseDuration(),
            clock)) {
      LeaseClaim claim = lease.create(initialRun(object), UploadSubmitter::pastSubmit);
      switch (claim.outcome()) {
        case DONE -> {
          LOG.info()
              .run(runId)
              .with("state", claim.document().getString(RunDoc.STATE))
              .log("duplicate event: run already past submit");
          return;
        }
        case BUSY -> throw new RunBusyException(runId.value());
        case TAKEN_OVER -> LOG.warning().run(runId).log("taking over a run whose lease expired");
        case GONE -> throw new IllegalStateException("a run just created cannot be missing");
        case CLAIMED ->
            LOG.info()
                .run(runId)
                .with("object", object.uri())
                .with("generation", object.generation())
                .with("bytes", object.size())
                .log("run claimed");
      }
      lease.startHeartbeat();
      Instant mustEndBy =
          invocationStart
              .plus(config.vertexRetry().functionTimeout())
              .minus(BatchdropConfig.Retry.RECORD_MARGIN);
      EventPublisher events =
          new EventPublisher(clients.publisher(config.topics().events()), clock);
      try {
        process(object, runId, lease, claim.document(), events, mustEndBy);
      } catch (LeaseLostException e) {
        throw e; // the lease is another's now: nothing of ours to release
      } catch (Exception e) {
        Optional<String> permanent = Failures.permanentReason(e);
        if (permanent.isEmpty()) {
          // A live owner elsewhere, a transaction aborted for contention, or an invocation out of
          // time after moving the run on, is not this run failing; anything else is counted, so
          // poll's watchdog can end a run whose every delivery fails (BATCHDROP_RUN_MAX_FAILURES).
          boolean notAFailure =
              e instanceof JobBusyException
                  || e instanceof NoTimeLeftException
                  || FirestoreErrors.isContention(e);
          lease.release(notAFailure ? Map.of() : Failures.transientRecord(e));
          throw e;
        }
        // A redelivery would meet the same refusal for a day: the run ends here, with the reason.
        LOG.error()
            .run(runId)
            .failure(e)
            .log("permanent failure; the run fails instead of being retried");
        try {
          fail(runId, lease, events, "the run could not be recorded: " + permanent.get());
        } catch (RuntimeException recording) {
          lease.release();
          throw recording;
        }
      } catch (Error e) {
        lease.release();
        throw e;
      }
    }
  }

  private void process(
      UploadedObject object,
      RunId runId,
      DocumentLease lease,
      DocumentSnapshot run,
      EventPublisher events,
      Instant mustEndBy)
      throws Exception {
    List<StagedShard> shards;
    String model;
    String backend;
    long invalidRows;
    Map<String, Object> estimate;
    if (Boolean.TRUE.equals(run.getBoolean(RunDoc.STAGED))) {
      shards = StagedShard.fromList(run.get(RunDoc.SHARDS));
      model = run.getString(RunDoc.MODEL);
      backend =
          run.getString(RunDoc.BACKEND) == null ? Backends.VERTEX : run.getString(RunDoc.BACKEND);
      invalidRows = run.getLong(RunDoc.COUNTS + ".invalid");
      estimate = RunEstimate.stored(run.get(RunDoc.ESTIMATE));
    } else {
      Optional<String> unreadable = whyUnreadable(object);
      if (unreadable.isPresent()) {
        reject(object, runId, lease, events, unreadable.get(), null);
        return;
      }
      FileSettings settings = FileSettings.of(object, config);
      StagingOutcome outcome;
      try {
        outcome = new InputStager(clients.storage(), config, prices).stage(object, runId, settings);
      } catch (java.io.IOException | RuntimeException e) {
        Optional<ShardLimitException> tooManyShards = ShardLimitException.in(e);
        if (tooManyShards.isPresent()) {
          // Before any job: the run document could not record them (RunShardBudget).
          reject(object, runId, lease, events, tooManyShards.get().getMessage(), null);
          return;
        }
        // The read channel wraps the 404 of a generation that is gone in an IOException.
        if (!Failures.isStorageNotFound(e) || !sourceGone(object)) {
          throw e;
        }
        reject(
            object,
            runId,
            lease,
            events,
            object.uri()
                + " generation "
                + object.generation()
                + " no longer exists: it was overwritten or deleted before it could be read",
            null);
        return;
      }
      if (!outcome.verdict().accepted()) {
        reject(object, runId, lease, events, outcome.verdict().reason(), outcome);
        return;
      }
      Optional<String> overBudget = RunEstimate.overBudget(outcome.estimate(), config);
      if (overBudget.isPresent()) {
        reject(object, runId, lease, events, overBudget.get(), outcome);
        return;
      }
      estimate = RunEstimate.of(outcome.estimate());
      shards = outcome.shards();
      model = settings.model();
      backend = settings.backend();
      invalidRows = outcome.report().invalid();
      Map<String, Object> staged = new HashMap<>();
      staged.put(RunDoc.STAGED, true);
      staged.put(RunDoc.ESTIMATE, estimate);
      staged.put(RunDoc.MODEL, model);
      staged.put(RunDoc.BACKEND, backend);
      staged.put(RunDoc.MODEL_RESOURCE, config.modelResource(model));
      staged.put(RunDoc.POLICY, settings.policy().policy().label());
      staged.put(RunDoc.COUNTS, countsOf(outcome));
      staged.put(RunDoc.SHARDS, shards.stream().map(StagedShard::toMap).toList());
      staged.put(RunDoc.JOB_IDS, shards.stream().map(s -> jobId(runId, s).value()).toList());
      staged.put(
          RunDoc.FIRST_ERRORS,
          FindingJson.capped(outcome.report().findings(), FIRST_ERRORS, FIRST_ERRORS_BYTES));
      if (invalidRows > 0) {
        staged.put(RunDoc.INVALID_URI, layout.uri(layout.invalidObject(runId)));
      }
      lease.update(staged);
      LOG.info()
          .run(runId)
          .with("rows", outcome.report().rows())
          .with("valid", outcome.report().valid())
          .with("invalid", invalidRows)
          .with("shards", shards.size())
          .log("upload validated and staged");
    }
    if (!Boolean.TRUE.equals(run.getBoolean(RunDoc.ACCEPTED_ANNOUNCED))) {
      long valid = shards.stream().mapToLong(StagedShard::rows).sum();
      events.publish(
          new RunAccepted(
              runId.value(),
              object.uri(),
              model,
              shards.size(),
              valid + invalidRows,
              valid,
              invalidRows,
              estimate));
      lease.update(Map.of(RunDoc.ACCEPTED_ANNOUNCED, true));
    }
    if (invalidRows > 0 && !Boolean.TRUE.equals(run.getBoolean(RunDoc.INVALID_PUBLISHED))) {
      ResultPublisher results =
          new ResultPublisher(clients.publisher(config.topics().results()), FLUSH_DEADLINE);
      long published =
          new InvalidRowPublisher(clients.storage(), clock)
              .publishForRun(
                  run,
                  lease,
                  BlobId.of(config.workBucket(), layout.invalidObject(runId)),
                  model,
                  object.uri(),
                  results);
      LOG.info().run(runId).with("messages", published).log("invalid rows published");
    }
    JobSubmission submission =
        new JobSubmission(
            clients.firestore(), clients.jobCreators(backoff, clock), config, events, clock);
    List<String> vertexNames = new ArrayList<>();
    for (StagedShard shard : shards) {
      try {
        JobId jobId = jobId(runId, shard);
        JobSubmission.NewJob job =
            JobSubmission.NewJob.inLayout(
                jobId, model, shard.rows(), shard.firstRow(), shard.lastRow(), layout, backend);
        // Still the run's owner right before the one call that must not repeat.
        vertexNames.add(
            submission.submit(job, lease.owner(), () -> lease.update(Map.of()), mustEndBy));
      } catch (NoTimeLeftException e) {
        LOG.info()
            .run(runId)
            .with("shards", shards.size())
            .with("with_jobs", vertexNames.size())
            .log("out of time before the next create; the redelivery creates the rest");
        throw e;
      } catch (CreateFailure failure) {
        if (!failure.permanent()) {
          throw failure;
        }
        String reason =
            (Backends.VERTEX.equals(backend) ? "Vertex AI" : "The Gemini API")
                + " refused the batch job for shard "
                + shard.shard()
                + ": "
                + failure.getMessage();
        // Every row still gets its outcome: the later shards get job documents refused with
        // the same reason, handed to publish like the refused one, which fails their rows.
        for (StagedShard later : shards.subList(shards.indexOf(shard) + 1, shards.size())) {
          JobId laterId = jobId(runId, later);
          JobRecords.settleAsFailed(
              clients.firestore(),
              JobSubmission.NewJob.inLayout(
                  laterId, model, later.rows(), later.firstRow(), later.lastRow(), layout, backend),
              "not submitted: " + reason,
              clock.instant());
        }
        if (!vertexNames.isEmpty()) {
          // A run is all or nothing: jobs of earlier shards would only spend tokens on rows whose
          // run has failed.
          clients.backends().cancelEach(runId, vertexNames);
          reason +=
              "; the "
                  + vertexNames.size()
                  + " job(s) already created for earlier shards"
                  + " were cancelled";
        }
        fail(runId, lease, events, reason);
        return;
      }
    }
    lease.complete(
        Map.of(
            RunDoc.STATE,
            RunState.SUBMITTED.name(),
            RunDoc.SUBMITTED_AT,
            Timestamps.of(clock.instant())));
    LOG.info().run(runId).with("jobs", vertexNames.size()).log("run submitted");
    // poll moves a run along only when one of its jobs changes; jobs that changed while this
    // invocation was still creating later shards would leave the run behind its jobs.
    new RunProgress(clients.firestore(), clock).refresh(runId.value());
  }

  /** Confirms that a 404 met while staging was the source generation's, not the work bucket's. */
  private boolean sourceGone(UploadedObject object) {
    return clients.storage().get(BlobId.of(object.bucket(), object.name(), object.generation()))
        == null;
  }

  /** Reasons to reject the file before reading a byte of it. */
  private Optional<String> whyUnreadable(UploadedObject object) {
    int uriBytes = object.uri().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (uriBytes > MAX_ATTRIBUTE_BYTES) {
      return Optional.of(
          "the object's URI is "
              + uriBytes
              + " bytes; every result message carries it"
              + " in its source attribute, which Pub/Sub limits to "
              + MAX_ATTRIBUTE_BYTES
              + " bytes: use a shorter object name");
    }
    if (object.size() > config.submit().maxFileBytes()) {
      return Optional.of(
          "the file is "
              + object.size()
              + " bytes; the limit is "
              + config.submit().maxFileBytes()
              + " bytes (BATCHDROP_MAX_FILE_BYTES)");
    }
    String encoding = object.contentEncoding();
    if (!encoding.isEmpty() && !encoding.equalsIgnoreCase("identity")) {
      // Read as stored, the bytes are the compressed ones; decompressed, their size (what the file
      // limit bounds) would be known only while reading.
      return Optional.of(
          "the object is stored with Content-Encoding: "
              + (encoding.length() <= 64 ? encoding : encoding.substring(0, 64) + "…")
              + " (as gsutil cp -Z or gcloud storage cp --gzip-local-all store it); expected the"
              + " JSONL as it is: upload it without compression (--gzip-in-flight compresses only"
              + " on the way)");
    }
    return FileSettings.problem(object, config);
  }

  private void reject(
      UploadedObject object,
      RunId runId,
      DocumentLease lease,
      EventPublisher events,
      String reason,
      StagingOutcome outcome)
      throws Exception {
    // Confirmed first: a former owner whose lease ran out must neither delete what the owner that
    // took over staged nor announce a rejection of a run that owner is submitting.
    lease.confirm();
    deleteStagedInput(runId); // a rejected run submits nothing; before reading, nothing is there
    BlobInfo report = BlobInfo.newBuilder(config.workBucket(), layout.reportObject(runId)).build();
    boolean hasInvalid = outcome != null && outcome.report().invalid() > 0;
    String invalidUri = hasInvalid ? layout.uri(layout.invalidObject(runId)) : null;
    new RejectionReport(clients.storage())
        .write(
            report,
            runId.value(),
            object,
            reason,
            outcome == null ? null : outcome.report(),
            invalidUri);
    List<Map<String, Object>> firstErrors =
        outcome == null
            ? List.of()
            : FindingJson.capped(outcome.report().findings(), FIRST_ERRORS, FIRST_ERRORS_BYTES);
    // The event goes out before the state that marks the run done: a crash in between repeats
    // the event (subscribers dedupe) instead of losing it.
    events.publish(
        new RunRejected(
            runId.value(),
            object.uri(),
            reason,
            RejectionReport.counts(outcome == null ? null : outcome.report()),
            layout.uri(layout.reportObject(runId)),
            firstErrors));
    Map<String, Object> rejected = new HashMap<>();
    rejected.put(RunDoc.STATE, RunState.REJECTED.name());
    rejected.put(RunDoc.REASON, reason);
    rejected.put(RunDoc.COUNTS, RejectionReport.counts(outcome == null ? null : outcome.report()));
    rejected.put(RunDoc.FIRST_ERRORS, firstErrors);
    rejected.put(RunDoc.REPORT_URI, layout.uri(layout.reportObject(runId)));
    rejected.put(RunDoc.COMPLETED_AT, Timestamps.of(clock.instant()));
    if (invalidUri != null) {
      rejected.put(RunDoc.INVALID_URI, invalidUri);
    }
    lease.complete(rejected);
    LOG.info().run(runId).with("reason", reason).log("upload rejected");
  }

  private void fail(RunId runId, DocumentLease lease, EventPublisher events, String reason) {
    events.publish(RunCompleted.failedEarly(runId.value(), RunState.FAILED.name(), reason));
    lease.complete(
        Map.of(
            RunDoc.STATE,
            RunState.FAILED.name(),
            RunDoc.REASON,
            reason,
            RunDoc.COMPLETED_AT,
            Timestamps.of(clock.instant())));
    LOG.error().run(runId).with("reason", reason).log("run failed");
  }

  private void deleteStagedInput(RunId runId) {
    Storage storage = clients.storage();
    for (Blob blob :
        storage
            .list(
                config.workBucket(),
                Storage.BlobListOption.prefix("runs/" + runId.value() + "/input/"))
            .iterateAll()) {
      storage.delete(blob.getBlobId());
    }
  }

  private static boolean pastSubmit(DocumentSnapshot run) {
    return RunState.valueOf(run.getString(RunDoc.STATE)).isPastSubmit();
  }

  private Map<String, Object> initialRun(UploadedObject object) {
    Map<String, Object> source = new HashMap<>();
    source.put("bucket", object.bucket());
    source.put("name", object.name());
    source.put("generation", Long.toString(object.generation()));
    source.put("size", object.size());
    source.put("md5", object.md5Hash());
    source.put("uri", object.uri());
    Map<String, Object> run = new HashMap<>();
    run.put(RunDoc.SOURCE, source);
    run.put(RunDoc.STATE, RunState.VALIDATING.name());
    run.put(RunDoc.CREATED_AT, Timestamps.of(clock.instant()));
    run.put(RunDoc.UPDATED_AT, Timestamps.of(clock.instant()));
    return run;
  }

  private static Map<String, Object> countsOf(StagingOutcome outcome) {
    Map<String, Object> counts = RejectionReport.counts(outcome.report());
    counts.put("succeeded", 0L);
    counts.put("failed", 0L);
    counts.put("missing", 0L);
    counts.put("published", 0L);
    return counts;
  }

  private static JobId jobId(RunId runId, StagedShard shard) {
    return new JobId(runId, shard.shard(), 1);
  }
}
