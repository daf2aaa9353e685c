package io.batchdrop.poll;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Precondition;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobSubmission;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.log.StructuredLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Polls one due job: {@code get} from Vertex, record what changed, then, after the commit, the
 * events and the hand-off. An answer identical to the recorded one costs no transaction and, for a
 * job due every tick, no write at all.
 */
final class JobPoller {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private final Backends backends;
  private final JobRecorder recorder;
  private final JobSubmission recovery;
  private final Watchdog watchdog;
  private final HandOff handOff;
  private final EventOutbox outbox;
  private final BatchdropConfig.Poll settings;

  JobPoller(
      Backends backends,
      JobRecorder recorder,
      JobSubmission recovery,
      Watchdog watchdog,
      HandOff handOff,
      EventOutbox outbox,
      BatchdropConfig.Poll settings) {
    this.backends = backends;
    this.recorder = recorder;
    this.recovery = recovery;
    this.watchdog = watchdog;
    this.handOff = handOff;
    this.outbox = outbox;
    this.settings = settings;
  }

  /**
   * @param crowded the selection hit its limit: more jobs are due than one call takes, so even a
   *     job due every tick moves its {@code nextPollAt} to let the others have their turn
   * @param caller this poll call, owner of any create claim it takes: two calls on one instance are
   *     two owners
   */
  JobOutcome poll(DocumentSnapshot doc, Instant now, boolean crowded, String caller) {
    String jobId = doc.getId();
    String runId = JobFields.string(doc, JobDoc.RUN_ID);
    try {
      Optional<String> malformed = JobFields.problem(doc);
      if (malformed.isPresent()) {
        return malformed(doc, malformed.get(), now);
      }
      Optional<BatchBackend> found = backends.find(doc.getString(JobDoc.BACKEND));
      if (found.isEmpty()) {
        return backendUnavailable(doc, now);
      }
      if (JobDoc.CREATING.equals(doc.getString(JobDoc.STATE))) {
        return recovery.recover(doc, caller) ? JobOutcome.RECOVERED : JobOutcome.UNCHANGED;
      }
      BatchBackend backend = found.get();
      BatchPredictionJob job =
          backend.get(doc.getString(JobDoc.VERTEX_NAME), doc.getString(JobDoc.OUTPUT_URI_PREFIX));
      Observation observation = Observation.of(job);
      cancelIfTooOld(backend, doc, job, now);
      if (observation.digest().equals(doc.getString(JobDoc.OBSERVED))
          && doc.get(JobRecorder.NOT_FOUND_COUNT) == null
          && watchdog.newlyCrossed(job, JobRecorder.stuckMap(doc), now).isEmpty()) {
        reschedule(doc, job, now, crowded);
        return JobOutcome.UNCHANGED;
      }
      Recorded recorded = recorder.record(doc.getReference(), observation, now);
      if (!recorded.wroteAnything()) {
        return JobOutcome.UNCHANGED;
      }
      if (recorded.stateChanged()) {
        LOG.info()
            .run(runId)
            .job(jobId)
            .with("state", recorded.state())
            .with("previous_state", recorded.previousState())
            .with("state_value", observation.stateValue())
            .log("job state changed");
      }
      for (String threshold : recorded.stuck()) {
        LOG.warning()
            .run(runId)
            .job(jobId)
            .with("threshold", threshold)
            .with("state", observation.state())
            .with("state_value", observation.stateValue())
            .log("job stuck");
      }
      sendEvents(doc);
      if (recorded.completed()) {
        handOff.send(
            new HandOffMessage(
                jobId,
                runId,
                job.getName(),
                observation.state(),
                observation.outputDirectory().isEmpty() ? null : observation.outputDirectory()),
            false);
        return JobOutcome.COMPLETED;
      }
      return recorded.changed() ? JobOutcome.CHANGED : JobOutcome.UNCHANGED;
    } catch (ApiException e) {
      try {
        return vertexRefused(doc, e, now);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return JobOutcome.ERROR;
      } catch (Exception recording) {
        LOG.error()
            .run(runId)
            .job(jobId)
            .failure(recording)
            .log("vertex refusal not recorded; the next call tries again");
        return JobOutcome.ERROR;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JobOutcome.ERROR;
    } catch (Exception e) {
      LOG.error()
          .run(runId)
          .job(jobId)
          .failure(e)
          .with("reason", bounded(e.getMessage()))
          .log("job poll failed");
      return JobOutcome.ERROR;
    }
  }

  /**
   * A get that failed. NOT_FOUND on {@code lostAfterNotFound} polls in a row makes the job lost
   * (terminal, handed off); PERMISSION_DENIED is reported once; anything else is retried next call.
   */
  private JobOutcome vertexRefused(DocumentSnapshot doc, ApiException e, Instant now)
      throws Exception {
    String runId = doc.getString(JobDoc.RUN_ID);
    StatusCode.Code code = e.getStatusCode().getCode();
    LOG.warning()
        .run(runId)
        .job(doc.getId())
        .with("code", code.name())
        .log("vertex call failed; the job stays due for the next call");
    String reason = code + ": " + bounded(e.getMessage());
    if (code == StatusCode.Code.NOT_FOUND) {
      JobRecorder.Missing missing =
          recorder.notFound(doc.getReference(), reason, settings.lostAfterNotFound(), now);
      if (missing == JobRecorder.Missing.LOST) {
        LOG.error()
            .run(runId)
            .job(doc.getId())
            .with("reason", reason)
            .log("job lost: Vertex no longer has it; its rows go to publish as missing");
        sendEvents(doc);
        handOff.send(
            new HandOffMessage(
                doc.getId(), runId, doc.getString(JobDoc.VERTEX_NAME), JobDoc.LOST, null),
            false);
        return JobOutcome.COMPLETED;
      }
    } else if (code == StatusCode.Code.PERMISSION_DENIED
        || code == StatusCode.Code.UNAUTHENTICATED) {
      if (recorder.refused(doc.getReference(), code.name(), reason, now)) {
        sendEvents(doc);
      }
    }
    return JobOutcome.ERROR;
  }

  /**
   * A document with a field of the wrong type would fail every poll of it the same way: decided
   * once, {@code job.stuck} with the field named, and the job dropped from polling ({@link
   * JobRecorder#malformed}).
   */
  private JobOutcome malformed(DocumentSnapshot doc, String problem, Instant now) throws Exception {
    String reason =
        "the job document cannot be read: "
            + problem
            + "; poll no longer follows the job (correct the field and set active to true for"
            + " poll to follow it again)";
    if (recorder.malformed(doc.getReference(), reason, now)) {
      LOG.error()
          .run(JobFields.string(doc, JobDoc.RUN_ID))
          .job(doc.getId())
          .with("reason", reason)
          .log("job stuck: its document has a field of the wrong type; no longer polled");
      sendEvents(doc);
    }
    return JobOutcome.ERROR;
  }

  /** How long a job whose backend this deployment lacks waits before it is looked at again. */
  static final Duration UNAVAILABLE_BACKEND_INTERVAL = Duration.ofMinutes(10);

  /**
   * A job on a backend this deployment does not have (no longer in {@code
   * BATCHDROP_ALLOWED_BACKENDS}, or a name Batchdrop does not know) cannot be polled or recovered:
   * {@code job.stuck} once with the reason, the job stays active (its batch may still finish, and
   * allowing the backend again lets poll follow it), due again every ten minutes.
   */
  private JobOutcome backendUnavailable(DocumentSnapshot doc, Instant now) throws Exception {
    String name = doc.getString(JobDoc.BACKEND);
    String reason =
        "the job runs on backend \""
            + name
            + "\", "
            + (Backends.KNOWN.contains(name)
                ? "which this deployment does not allow (BATCHDROP_ALLOWED_BACKENDS: "
                    + String.join(", ", backends.names())
                    + "); allow it again for poll to follow the job"
                : "which Batchdrop does not know (expected one of "
                    + String.join(", ", Backends.KNOWN.stream().sorted().toList())
                    + ")")
            + "; the job is looked at again every "
            + UNAVAILABLE_BACKEND_INTERVAL.toMinutes()
            + " minutes";
    boolean reported =
        recorder.backendUnavailable(
            doc.getReference(),
            reason,
            now.plus(UNAVAILABLE_BACKEND_INTERVAL).minus(PollSchedule.SLACK),
            now);
    if (reported) {
      LOG.error()
          .run(doc.getString(JobDoc.RUN_ID))
          .job(doc.getId())
          .with("backend", name)
          .with("reason", reason)
          .log("job stuck: its backend is not in this deployment");
      sendEvents(doc);
    }
    return JobOutcome.ERROR;
  }

  /** Sends the job's recorded events; what fails stays recorded and a later call sends it. */
  private void sendEvents(DocumentSnapshot doc) {
    try {
      outbox.send(doc.getReference());
    } catch (Exception e) {
      LOG.warning()
          .run(JobFields.string(doc, JobDoc.RUN_ID))
          .job(doc.getId())
          .failure(e)
          .log("event not sent; it stays pending and a later call sends it");
    }
  }

  private static String bounded(String message) {
    if (message == null) {
      return "(no message)";
    }
    return message.length() <= 300 ? message : message.substring(0, 300) + "…";
  }

  /**
   * An unchanged job on a schedule longer than a tick (or in a crowded call) moves its {@code
   * nextPollAt}; the write is conditional on the document being as read, so it never overwrites a
   * concurrent change. A job due every tick otherwise stays due: no write.
   */
  private static void reschedule(
      DocumentSnapshot doc, BatchPredictionJob job, Instant now, boolean crowded) throws Exception {
    if (!crowded && PollSchedule.everyTick(job, now)) {
      return;
    }
    try {
      doc.getReference()
          .update(
              Precondition.updatedAt(doc.getUpdateTime()),
              JobDoc.NEXT_POLL_AT,
              Timestamps.of(PollSchedule.nextPollAt(job, now)))
          .get(JobRecorder.WRITE_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException changedMeanwhile) {
      // Another call recorded something: its nextPollAt stands.
    }
  }

  /** Optional (off by default): cancel a job that has outlived the configured maximum age. */
  private void cancelIfTooOld(
      BatchBackend backend, DocumentSnapshot doc, BatchPredictionJob job, Instant now)
      throws Exception {
    if (!settings.cancelsOldJobs()
        || VertexStates.isTerminal(job)
        || !job.hasCreateTime()
        || doc.get(JobDoc.CANCEL_REQUESTED_AT) != null) {
      return;
    }
    Instant created =
        Instant.ofEpochSecond(job.getCreateTime().getSeconds(), job.getCreateTime().getNanos());
    if (Duration.between(created, now).compareTo(settings.cancelAfter()) < 0) {
      return;
    }
    backend.cancel(job.getName());
    doc.getReference()
        .update(JobDoc.CANCEL_REQUESTED_AT, Timestamps.of(now))
        .get(JobRecorder.WRITE_DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    LOG.warning()
        .run(doc.getString(JobDoc.RUN_ID))
        .job(doc.getId())
        .with("age_hours", Duration.between(created, now).toHours())
        .log("job cancelled past its maximum age");
  }
}
