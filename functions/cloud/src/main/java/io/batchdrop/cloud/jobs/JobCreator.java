package io.batchdrop.cloud.jobs;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Creates a batch job at most once, on any {@link BatchBackend}. Neither Vertex nor the Gemini API
 * has a request id (reference §0.4), so after any answer that leaves it unknown whether the job
 * exists (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL, UNKNOWN, ABORTED, CANCELLED) the job is looked
 * up (Vertex: by its {@code batchdrop-job} label; Gemini API: by display name) before another
 * create. RESOURCE_EXHAUSTED and UNAUTHENTICATED mean it was not created and are retried directly.
 * A lookup that fails leaves the outcome unknown too: it is retried, and never turns into a
 * permanent failure, because the job may exist. Callers hold a create claim ({@link
 * JobRecords#claimCreate}) and pass its end as the deadline: no attempt starts that could outlast
 * it, so the next claimant never races this one.
 */
public final class JobCreator {
  private static final Set<Code> NOT_CREATED =
      Set.of(Code.RESOURCE_EXHAUSTED, Code.UNAUTHENTICATED);
  private static final Set<Code> MAYBE_CREATED =
      Set.of(
          Code.UNAVAILABLE,
          Code.DEADLINE_EXCEEDED,
          Code.INTERNAL,
          Code.UNKNOWN,
          Code.ABORTED,
          Code.CANCELLED);

  /** Waits between attempts; a plain sleep in production, where nothing else needs the thread. */
  public interface Backoff {
    /** What production uses. */
    Backoff SLEEP = pause -> Thread.sleep(pause.toMillis());

    void pause(Duration duration) throws InterruptedException;
  }

  /**
   * Asked immediately before every create call: true while the caller still holds its create claim
   * (and whatever it guards). A caller that stalled (a throttled instance) past its claim must not
   * create, because the next claimant may already have.
   */
  public interface ClaimCheck {
    boolean stillHeld() throws InterruptedException;
  }

  private final BatchBackend backend;
  private final BatchdropConfig.Retry retry;
  private final Backoff backoff;
  private final Clock clock;

  public JobCreator(JobServiceClient client, BatchdropConfig config, Backoff backoff, Clock clock) {
    this(new VertexBackend(client, config), config, backoff, clock);
  }

  public JobCreator(BatchBackend backend, BatchdropConfig config, Backoff backoff, Clock clock) {
    this.backend = backend;
    this.retry = config.vertexRetry();
    this.backoff = backoff;
    this.clock = clock;
  }

  /**
   * Creates the job, or adopts the one that already carries its label.
   *
   * @param mayExist true when an earlier caller may have sent the create already
   * @param deadline the end of the caller's create claim: no attempt starts that could outlast it,
   *     and no create call is sent with less than one call deadline of it left
   * @param claim asked right before every create call
   */
  public BatchPredictionJob createOrAdopt(
      JobSpec spec, boolean mayExist, Instant deadline, ClaimCheck claim)
      throws CreateFailure, InterruptedException {
    boolean lookFirst = mayExist;
    ApiException last = null;
    int attempt = 0;
    while (attempt < retry.maxAttempts()) {
      if (attempt > 0) {
        backoff.pause(retry.backoff(attempt));
      }
      if (clock.instant().plus(retry.attemptDuration()).isAfter(deadline)) {
        break;
      }
      attempt++;
      if (lookFirst) {
        Optional<BatchPredictionJob> existing;
        try {
          existing = findByLabel(spec);
        } catch (ApiException e) {
          last = e;
          continue;
        }
        if (existing.isPresent()) {
          return existing.get();
        }
      }
      // The lookup may have taken long, or this instance may have been throttled since: the create
      // is the one call that must never be repeated by two callers. Asked here, before a backend's
      // slow preparation (an upload) starts, and by the backend again right before its request.
      // The claim is read first: the read itself takes time, and the clock is checked after it.
      CreateGate gate =
          () -> claim.stillHeld() && !clock.instant().plus(retry.callDeadline()).isAfter(deadline);
      try {
        gate.pass();
        return backend.create(spec, gate);
      } catch (CreateGate.Closed closed) {
        throw CreateFailure.gaveUp(Code.DEADLINE_EXCEEDED, closed.getMessage(), last);
      } catch (ApiException e) {
        Code code = e.getStatusCode().getCode();
        if (!NOT_CREATED.contains(code) && !MAYBE_CREATED.contains(code)) {
          // Safe to call final: either nothing was sent before, or a lookup just now found no job.
          throw CreateFailure.refused(code, describe(e), e);
        }
        lookFirst = lookFirst || MAYBE_CREATED.contains(code);
        last = e;
      }
    }
    if (last == null) {
      throw CreateFailure.gaveUp(
          Code.DEADLINE_EXCEEDED, "no time left in the create claim for an attempt", null);
    }
    throw CreateFailure.gaveUp(
        last.getStatusCode().getCode(),
        "gave up after " + attempt + " attempts: " + describe(last),
        last);
  }

  /** The job made earlier for this spec, if the backend knows one. */
  public Optional<BatchPredictionJob> findByLabel(JobSpec spec) {
    return backend.find(spec);
  }

  /** The backend this creator creates on. */
  public BatchBackend backend() {
    return backend;
  }

  private static String describe(ApiException e) {
    return e.getStatusCode().getCode() + ": " + e.getMessage();
  }
}
