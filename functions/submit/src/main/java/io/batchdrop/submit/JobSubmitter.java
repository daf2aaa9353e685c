package io.batchdrop.submit;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.LifecycleEvent;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.CreateFailure;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobRecords;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.WorkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Gives one staged shard exactly one Vertex job. {@code jobs/{jobId}} is created in state {@code
 * CREATING} before the create call, so no two invocations ever both call create for a shard at
 * once: the document carries a create claim, and a redelivery that finds it left {@code CREATING}
 * must win the claim ({@link JobRecords#claimCreate}) and looks the job up by label first. A job
 * left {@code CREATING} with nobody to finish it is healed by {@code poll}, which sees it once the
 * claim and with it {@code nextPollAt} run out.
 */
final class JobSubmitter {
  private static final StructuredLog LOG = StructuredLog.forComponent("submit");
  private final Firestore firestore;
  private final JobCreator creator;
  private final WorkLayout layout;
  private final BatchdropConfig config;
  private final EventPublisher events;
  private final Clock clock;

  JobSubmitter(
      Firestore firestore,
      JobCreator creator,
      BatchdropConfig config,
      EventPublisher events,
      Clock clock) {
    this.firestore = firestore;
    this.creator = creator;
    this.layout = new WorkLayout(config.workBucket());
    this.config = config;
    this.events = events;
    this.clock = clock;
  }

  /** Returns the Vertex name of the shard's job, creating the job if nobody did. */
  String submit(JobId jobId, String model, StagedShard shard, RunLease lease)
      throws CreateFailure, InterruptedException, ExecutionException {
    DocumentReference doc = firestore.collection(JobDoc.COLLECTION).document(jobId.value());
    Duration window = config.vertexRetry().createWindow();
    Instant claimed = clock.instant();
    boolean mayExist = false;
    try {
      doc.create(creatingDocument(jobId, model, shard, lease.owner(), claimed, window)).get();
    } catch (ExecutionException e) {
      if (!FirestoreErrors.isAlreadyExists(e)) {
        throw e;
      }
      DocumentSnapshot existing = doc.get().get();
      String vertexName = existing.getString(JobDoc.VERTEX_NAME);
      if (vertexName != null) {
        if (!Boolean.TRUE.equals(existing.getBoolean(JobDoc.SUBMITTED_ANNOUNCED))) {
          announce(doc, jobId, vertexName, shard, model);
        }
        return vertexName;
      }
      if (JobDoc.CREATE_FAILED.equals(existing.getString(JobDoc.STATE))) {
        throw new CreateFailure(null, true, existing.getString(JobDoc.CREATE_ERROR), null);
      }
      mayExist = true;
      claimed = clock.instant();
      if (!JobRecords.claimCreate(firestore, doc, lease.owner(), claimed, window)) {
        throw new JobBusyException(jobId.value());
      }
    }
    lease.update(Map.of()); // still the run's owner, right before the one call that must not repeat
    JobSpec spec =
        new JobSpec(
            jobId,
            config.modelResource(model),
            layout.inputUri(jobId),
            layout.outputUriPrefix(jobId));
    BatchPredictionJob job;
    try {
      job = creator.createOrAdopt(spec, mayExist, claimed.plus(window));
    } catch (CreateFailure failure) {
      if (failure.permanent()) {
        JobRecords.recordCreateFailed(doc, failure.getMessage(), clock.instant());
      } else {
        JobRecords.releaseCreate(firestore, doc, lease.owner(), clock.instant());
      }
      throw failure;
    }
    if (!JobRecords.recordCreated(firestore, doc, job, clock.instant())) {
      // Someone recorded the job first; with the create claim that can only be this same job.
      return doc.get().get().getString(JobDoc.VERTEX_NAME);
    }
    LOG.info()
        .run(jobId.run())
        .job(jobId)
        .with("vertex_job", job.getName())
        .with("rows", shard.rows())
        .with("adopted", mayExist)
        .log("vertex job created");
    announce(doc, jobId, job.getName(), shard, model);
    return job.getName();
  }

  /** Sends {@code job.submitted}, then notes it, so a redelivery sends it when this one did not. */
  private void announce(
      DocumentReference doc, JobId jobId, String vertexName, StagedShard shard, String model)
      throws InterruptedException, ExecutionException {
    events.publish(
        LifecycleEvent.JOB_SUBMITTED,
        jobId.run().value(),
        jobId.value(),
        Map.of(
            "jobId",
            jobId.value(),
            "vertexName",
            vertexName,
            "shard",
            shard.shard(),
            "rows",
            shard.rows(),
            "model",
            model));
    doc.update(JobDoc.SUBMITTED_ANNOUNCED, true).get();
  }

  private Map<String, Object> creatingDocument(
      JobId jobId, String model, StagedShard shard, String owner, Instant now, Duration window) {
    Map<String, Object> doc = new HashMap<>();
    doc.put(JobDoc.RUN_ID, jobId.run().value());
    doc.put(JobDoc.SHARD, shard.shard());
    doc.put(JobDoc.ATTEMPT, jobId.attempt());
    doc.put(JobDoc.MODEL, model);
    doc.put(JobDoc.INPUT_URI, layout.inputUri(jobId));
    doc.put(JobDoc.OUTPUT_URI_PREFIX, layout.outputUriPrefix(jobId));
    doc.put(JobDoc.ROWS, shard.rows());
    doc.put(JobDoc.FIRST_ROW, shard.firstRow());
    doc.put(JobDoc.LAST_ROW, shard.lastRow());
    doc.put(JobDoc.STATE, JobDoc.CREATING);
    // Active from the start: if this invocation dies before recording the answer, poll's regular
    // query finds the job once the create claim (and with it nextPollAt) runs out, and recovers
    // it by label.
    doc.put(JobDoc.ACTIVE, true);
    doc.putAll(JobRecords.creatingClaim(owner, now, window));
    doc.put(JobDoc.CREATE_REQUESTED_AT, Timestamps.of(clock.instant()));
    doc.put(JobDoc.UPDATED_AT, Timestamps.of(clock.instant()));
    return doc;
  }
}
