package io.batchdrop.cloud.jobs;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.JobSubmitted;
import io.batchdrop.cloud.firestore.FirestoreErrors;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.WorkLayout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The one way a shard attempt gets its batch job, for {@code submit}, {@code poll}'s recovery and
 * {@code publish}'s retries: the {@code jobs/{jobId}} document is written {@code CREATING} before
 * the create call and carries a create claim that one caller at a time holds; whoever finds it
 * {@code CREATING} wins the claim and looks the job up by label before any create; the answer is
 * recorded only while the document still waits for it; {@code job.submitted} goes out once the job
 * is recorded and is noted, so a later caller that finds it unsent sends it. Never two jobs for one
 * shard attempt.
 */
public final class JobSubmission {
  private static final StructuredLog LOG = StructuredLog.forComponent("jobs");
  private final Firestore firestore;
  private final Map<String, JobCreator> creators;
  private final BatchdropConfig config;
  private final EventPublisher events;
  private final Clock clock;

  /**
   * What the {@code CREATING} document of a new shard attempt records, its batch backend included
   * ({@link Backends}).
   */
  public record NewJob(
      JobId jobId,
      String model,
      long rows,
      long firstRow,
      long lastRow,
      String inputUri,
      String outputUriPrefix,
      String backend) {
    public NewJob {
      if (!Backends.KNOWN.contains(backend)) {
        throw new IllegalArgumentException(
            "backend is \"" + backend + "\"; expected one of " + Backends.KNOWN);
      }
    }

    /** A Vertex job, as every job was before there were two backends. */
    public NewJob(
        JobId jobId,
        String model,
        long rows,
        long firstRow,
        long lastRow,
        String inputUri,
        String outputUriPrefix) {
      this(jobId, model, rows, firstRow, lastRow, inputUri, outputUriPrefix, Backends.VERTEX);
    }

    /** A shard attempt whose staged input and output prefix are where {@code layout} puts them. */
    public static NewJob inLayout(
        JobId jobId,
        String model,
        long rows,
        long firstRow,
        long lastRow,
        WorkLayout layout,
        String backend) {
      return new NewJob(
          jobId,
          model,
          rows,
          firstRow,
          lastRow,
          layout.inputUri(jobId),
          layout.outputUriPrefix(jobId),
          backend);
    }
  }

  /**
   * Ownership the caller must still hold right before the create call, such as {@code submit}'s run
   * lease; it throws when it was lost.
   */
  public interface Guard {
    void check();
  }

  public JobSubmission(
      Firestore firestore,
      JobCreator creator,
      BatchdropConfig config,
      EventPublisher events,
      Clock clock) {
    this(firestore, List.of(creator), config, events, clock);
  }

  /** With one creator per backend the deployment may use. */
  public JobSubmission(
      Firestore firestore,
      List<JobCreator> creators,
      BatchdropConfig config,
      EventPublisher events,
      Clock clock) {
    this.firestore = firestore;
    Map<String, JobCreator> byBackend = new HashMap<>();
    for (JobCreator creator : creators) {
      byBackend.put(creator.backend().id(), creator);
    }
    this.creators = Map.copyOf(byBackend);
    this.config = config;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Gives a new shard attempt exactly one batch job, creating it if nobody did, and returns its
   * name.
   *
   * @param owner the calling invocation, owner of the create claim
   * @throws JobBusyException when another caller holds the create claim right now
   * @throws CreateFailure when the service refused the job (recorded when permanent)
   */
  public String submit(NewJob job, String owner, Guard guard)
      throws CreateFailure, InterruptedException, ExecutionException {
    return submit(job, owner, guard, Instant.MAX);
  }

  /**
   * As {@link #submit(NewJob, String, Guard)}, for a caller that will be killed at {@code
   * mustEndBy} (its invocation's start plus the function timeout, less the time to record): the
   * create claim ends by then, so no create call can be sent by a holder about to be killed.
   *
   * @throws NoTimeLeftException when less than one create attempt fits before {@code mustEndBy} and
   *     the job is not recorded yet
   */
  public String submit(NewJob job, String owner, Guard guard, Instant mustEndBy)
      throws CreateFailure, InterruptedException, ExecutionException {
    DocumentReference doc = document(job.jobId());
    Instant claimed = clock.instant();
    if (claimed.plus(config.vertexRetry().attemptDuration()).isAfter(mustEndBy)) {
      // Too late for an attempt: a job recorded earlier is still answered, a create is left to the
      // caller's next invocation, with no CREATING document for poll to race it over.
      DocumentSnapshot existing = doc.get().get();
      if (existing.exists()) {
        Optional<String> recorded = recordedAnswer(existing);
        if (recorded.isPresent()) {
          return recorded.get();
        }
      }
      throw new NoTimeLeftException(job.jobId().value());
    }
    Duration window = config.vertexRetry().createWindow();
    if (claimed.plus(window).isAfter(mustEndBy)) {
      window = mustEndBy.isAfter(claimed) ? Duration.between(claimed, mustEndBy) : Duration.ZERO;
    }
    boolean mayExist = false;
    try {
      doc.create(creatingDocument(job, owner, claimed, window)).get();
    } catch (ExecutionException e) {
      if (!FirestoreErrors.isAlreadyExists(e)) {
        throw e;
      }
      DocumentSnapshot existing = doc.get().get();
      Optional<String> recorded = recordedAnswer(existing);
      if (recorded.isPresent()) {
        return recorded.get();
      }
      mayExist = true;
      claimed = clock.instant();
      if (!JobRecords.claimCreate(firestore, doc, owner, claimed, window)) {
        throw new JobBusyException(job.jobId().value());
      }
    }
    guard.check();
    JobSpec spec =
        new JobSpec(
            job.jobId(), config.modelResource(job.model()), job.inputUri(), job.outputUriPrefix());
    Optional<BatchPredictionJob> created =
        createUnderClaim(doc, job.backend(), spec, mayExist, owner, claimed.plus(window));
    if (created.isEmpty()) {
      // Someone recorded the job first; with the create claim that can only be this same job.
      return doc.get().get().getString(JobDoc.VERTEX_NAME);
    }
    LOG.info()
        .run(job.jobId().run())
        .job(job.jobId())
        .with("vertex_job", created.get().getName())
        .with("rows", job.rows())
        .with("adopted", mayExist)
        .log("batch job created");
    announceIfUnsent(doc.get().get(), created.get().getName(), false);
    return created.get().getName();
  }

  /**
   * The job an earlier caller recorded for an existing document, announced if it was not yet; empty
   * while the document still waits for its create.
   *
   * @throws CreateFailure when the earlier caller recorded a refusal
   */
  private Optional<String> recordedAnswer(DocumentSnapshot existing)
      throws CreateFailure, InterruptedException, ExecutionException {
    String vertexName = existing.getString(JobDoc.VERTEX_NAME);
    if (vertexName != null) {
      announceIfUnsent(existing, vertexName, false);
      return Optional.of(vertexName);
    }
    if (JobDoc.CREATE_FAILED.equals(existing.getString(JobDoc.STATE))) {
      throw CreateFailure.recordedEarlier(existing.getString(JobDoc.CREATE_ERROR));
    }
    return Optional.empty();
  }

  /**
   * Heals a job left {@code CREATING} (its creator died or lost the answer): one attempt under the
   * create claim, adopting the job Vertex has under its label or creating it from the staged shard.
   * Returns true when this call recorded the job; false when someone else holds the claim or
   * recorded it first.
   */
  public boolean recover(DocumentSnapshot doc, String owner)
      throws CreateFailure, InterruptedException, ExecutionException {
    JobId jobId = JobId.parse(doc.getId());
    JobSpec spec =
        new JobSpec(
            jobId,
            config.modelResource(doc.getString(JobDoc.MODEL)),
            doc.getString(JobDoc.INPUT_URI),
            doc.getString(JobDoc.OUTPUT_URI_PREFIX));
    // One attempt per call: what one call leaves undone the next call takes up.
    Duration window = config.vertexRetry().attemptDuration().plusSeconds(10);
    Instant claimed = clock.instant();
    if (!JobRecords.claimCreate(firestore, doc.getReference(), owner, claimed, window)) {
      return false;
    }
    Optional<BatchPredictionJob> created =
        createUnderClaim(
            doc.getReference(),
            doc.getString(JobDoc.BACKEND),
            spec,
            true,
            owner,
            claimed.plus(window));
    if (created.isEmpty()) {
      return false;
    }
    LOG.info()
        .run(jobId.run())
        .job(jobId)
        .with("vertex_job", created.get().getName())
        .log("job left CREATING recovered");
    announceIfUnsent(doc.getReference().get().get(), created.get().getName(), true);
    return true;
  }

  /** Creates or adopts under a held claim; empty when someone else recorded a job first. */
  private Optional<BatchPredictionJob> createUnderClaim(
      DocumentReference doc,
      String backend,
      JobSpec spec,
      boolean mayExist,
      String owner,
      Instant deadline)
      throws CreateFailure, InterruptedException, ExecutionException {
    BatchPredictionJob job;
    JobCreator creator = creators.get(backend == null ? Backends.VERTEX : backend);
    if (creator == null) {
      throw new IllegalStateException(
          "job " + doc.getId() + " runs on backend " + backend + ", which this function lacks");
    }
    try {
      job = creator.createOrAdopt(spec, mayExist, deadline, () -> stillHolds(doc, owner));
    } catch (CreateFailure failure) {
      if (failure.permanent()) {
        JobRecords.recordCreateFailed(doc, failure.getMessage(), clock.instant());
      } else {
        JobRecords.releaseCreate(firestore, doc, owner, clock.instant());
      }
      throw failure;
    }
    return JobRecords.recordCreated(firestore, doc, job, clock.instant())
        ? Optional.of(job)
        : Optional.empty();
  }

  private boolean stillHolds(DocumentReference doc, String owner) throws InterruptedException {
    try {
      return JobRecords.holdsCreateClaim(doc, owner, clock.instant());
    } catch (ExecutionException e) {
      return false; // cannot tell: not creating is the safe answer
    }
  }

  /**
   * Sends {@code job.submitted}, then notes it, so a later caller sends it when this one did not.
   */
  private void announceIfUnsent(DocumentSnapshot doc, String vertexName, boolean recovered)
      throws InterruptedException, ExecutionException {
    if (Boolean.TRUE.equals(doc.getBoolean(JobDoc.SUBMITTED_ANNOUNCED))) {
      return;
    }
    JobId jobId = JobId.parse(doc.getId());
    events.publish(
        new JobSubmitted(
            jobId.run().value(),
            jobId.value(),
            vertexName,
            jobId.shard(),
            doc.getLong(JobDoc.ROWS),
            doc.getString(JobDoc.MODEL),
            recovered ? Boolean.TRUE : null));
    doc.getReference().update(JobDoc.SUBMITTED_ANNOUNCED, true).get();
  }

  private DocumentReference document(JobId jobId) {
    return firestore.collection(JobDoc.COLLECTION).document(jobId.value());
  }

  private Map<String, Object> creatingDocument(
      NewJob job, String owner, Instant now, Duration window) {
    Map<String, Object> doc = new HashMap<>();
    doc.put(JobDoc.RUN_ID, job.jobId().run().value());
    doc.put(JobDoc.SHARD, job.jobId().shard());
    doc.put(JobDoc.ATTEMPT, job.jobId().attempt());
    doc.put(JobDoc.MODEL, job.model());
    doc.put(JobDoc.INPUT_URI, job.inputUri());
    doc.put(JobDoc.OUTPUT_URI_PREFIX, job.outputUriPrefix());
    doc.put(JobDoc.ROWS, job.rows());
    doc.put(JobDoc.FIRST_ROW, job.firstRow());
    doc.put(JobDoc.LAST_ROW, job.lastRow());
    doc.put(JobDoc.STATE, JobDoc.CREATING);
    doc.put(JobDoc.BACKEND, job.backend());
    // Active from the start: if this invocation dies before recording the answer, poll's regular
    // query finds the job once the create claim (and with it nextPollAt) runs out, and recovers
    // it by label.
    doc.put(JobDoc.ACTIVE, true);
    doc.putAll(JobRecords.creatingClaim(owner, now, window));
    doc.put(JobDoc.CREATE_REQUESTED_AT, Timestamps.of(now));
    doc.put(JobDoc.UPDATED_AT, Timestamps.of(now));
    return doc;
  }
}
