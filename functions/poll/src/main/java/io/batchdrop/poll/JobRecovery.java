package io.batchdrop.poll;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.LifecycleEvent;
import io.batchdrop.cloud.jobs.CreateFailure;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobRecords;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.JobId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Heals a job left {@code CREATING}: the submit call that wrote it died or lost the create answer.
 * The job is looked up by its {@code batchdrop-job} label and adopted when Vertex has it, created
 * from the staged shard when not, then recorded the way submit records it. It first takes the job's
 * create claim ({@link JobRecords#claimCreate}): a submit still creating, or an overlapping poll
 * call, holds it, and then this call leaves the job to them.
 */
final class JobRecovery {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private final Firestore firestore;
  private final JobCreator creator;
  private final BatchdropConfig config;
  private final EventPublisher events;
  private final Clock clock;
  private final String owner = "poll-" + UUID.randomUUID();

  JobRecovery(
      Firestore firestore,
      JobCreator creator,
      BatchdropConfig config,
      EventPublisher events,
      Clock clock) {
    this.firestore = firestore;
    this.creator = creator;
    this.config = config;
    this.events = events;
    this.clock = clock;
  }

  /** Returns true when this call recorded the job; false when someone else got there first. */
  boolean recover(DocumentSnapshot doc)
      throws CreateFailure, InterruptedException, ExecutionException {
    JobId jobId = JobId.parse(doc.getId());
    String model = doc.getString(JobDoc.MODEL);
    JobSpec spec =
        new JobSpec(
            jobId,
            config.modelResource(model),
            doc.getString(JobDoc.INPUT_URI),
            doc.getString(JobDoc.OUTPUT_URI_PREFIX));
    DocumentReference ref = doc.getReference();
    // One attempt per call, under a create claim: overlapping calls, or a submit still creating,
    // never both call create; what one call leaves undone the next call takes up.
    Duration window = config.vertexRetry().attemptDuration().plusSeconds(10);
    Instant claimed = clock.instant();
    if (!JobRecords.claimCreate(firestore, ref, owner, claimed, window)) {
      return false;
    }
    BatchPredictionJob job;
    try {
      job = creator.createOrAdopt(spec, true, claimed.plus(window));
    } catch (CreateFailure failure) {
      if (failure.permanent()) {
        JobRecords.recordCreateFailed(ref, failure.getMessage(), clock.instant());
      } else {
        JobRecords.releaseCreate(firestore, ref, owner, clock.instant());
      }
      throw failure;
    }
    boolean recorded = JobRecords.recordCreated(firestore, ref, job, clock.instant());
    if (recorded) {
      LOG.info()
          .run(jobId.run())
          .job(jobId)
          .with("vertex_job", job.getName())
          .log("job left CREATING recovered");
      Map<String, Object> data = new HashMap<>();
      data.put("jobId", jobId.value());
      data.put("vertexName", job.getName());
      data.put("shard", jobId.shard());
      data.put("rows", doc.getLong(JobDoc.ROWS));
      data.put("model", model);
      data.put("recovered", true);
      events.publish(LifecycleEvent.JOB_SUBMITTED, jobId.run().value(), jobId.value(), data);
      ref.update(JobDoc.SUBMITTED_ANNOUNCED, true).get();
    }
    return recorded;
  }
}
