package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.JobState;
import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Behaviour a test can change while the emulator runs. Thread-safe. A job takes a snapshot of the
 * knobs when it is created ({@link JobPlan}); changing a knob later does not affect it. Every
 * setter returns {@code this} so calls chain.
 */
public final class VertexKnobs {

  private static final Set<JobState> ENDINGS =
      EnumSet.of(
          JobState.JOB_STATE_SUCCEEDED,
          JobState.JOB_STATE_FAILED,
          JobState.JOB_STATE_CANCELLED,
          JobState.JOB_STATE_EXPIRED,
          JobState.JOB_STATE_PARTIALLY_SUCCEEDED);

  /** Tens of megabytes, past any in-memory limit a reader of the output should have. */
  public static final int DEFAULT_HUGE_RESPONSE_CHARS = 32 * 1024 * 1024;

  private final Duration defaultPendingDelay;
  private final Duration defaultRunningDelay;

  private int failingCreates;
  private int createsBeforeFailing;
  private Status.Code createFailure = Status.Code.RESOURCE_EXHAUSTED;
  private JobState ending = JobState.JOB_STATE_SUCCEEDED;
  private boolean partialOutput;
  private int outputFiles = 1;
  private boolean invalidJsonFailsJob;
  private int hugeResponseChars = DEFAULT_HUGE_RESPONSE_CHARS;
  private Duration pendingDelay;
  private Duration runningDelay;
  private Duration getLatency = Duration.ZERO;
  private int failingGets;
  private int failingLists;
  private Status.Code listFailure = Status.Code.UNAVAILABLE;
  private int withheldCreateAnswers;
  private Status.Code getFailure = Status.Code.UNAVAILABLE;

  VertexKnobs(Duration pendingDelay, Duration runningDelay) {
    this.defaultPendingDelay = pendingDelay;
    this.defaultRunningDelay = runningDelay;
    this.pendingDelay = pendingDelay;
    this.runningDelay = runningDelay;
  }

  /**
   * The next {@code count} create calls fail with {@code code} (RESOURCE_EXHAUSTED,
   * UNAVAILABLE...).
   */
  public synchronized VertexKnobs failNextCreates(int count, Status.Code code) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (Objects.requireNonNull(code, "code") == Status.Code.OK) {
      throw new IllegalArgumentException("a failing create needs an error code");
    }
    this.failingCreates = count;
    this.createFailure = code;
    this.createsBeforeFailing = 0;
    return this;
  }

  /**
   * The next {@code count} creates make their job but never answer, as when the answer is lost on
   * the way back: the caller sees its deadline run out, or dies waiting, while the job exists.
   */
  public synchronized VertexKnobs withholdNextCreateAnswers(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.withheldCreateAnswers = count;
    return this;
  }

  /** Consumes one withheld answer: true when this create must make its job and stay silent. */
  synchronized boolean takeWithheldCreateAnswer() {
    if (withheldCreateAnswers == 0) {
      return false;
    }
    withheldCreateAnswers--;
    return true;
  }

  /**
   * After {@code successes} more creates succeed, the next {@code count} fail with {@code code}.
   */
  public synchronized VertexKnobs failCreatesAfter(int successes, int count, Status.Code code) {
    if (successes < 0) {
      throw new IllegalArgumentException("successes must not be negative");
    }
    failNextCreates(count, code);
    this.createsBeforeFailing = successes;
    return this;
  }

  /**
   * The next {@code count} get calls fail with {@code code}: a Vertex outage as a poller sees it.
   */
  public synchronized VertexKnobs failNextGets(int count, Status.Code code) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (Objects.requireNonNull(code, "code") == Status.Code.OK) {
      throw new IllegalArgumentException("a failing get needs an error code");
    }
    this.failingGets = count;
    this.getFailure = code;
    return this;
  }

  /** The next {@code count} list calls fail with {@code code}, e.g. a lookup by label refused. */
  public synchronized VertexKnobs failNextLists(int count, Status.Code code) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (Objects.requireNonNull(code, "code") == Status.Code.OK) {
      throw new IllegalArgumentException("a failing list needs an error code");
    }
    this.failingLists = count;
    this.listFailure = code;
    return this;
  }

  /**
   * The terminal state new jobs end in: SUCCEEDED (default), FAILED, CANCELLED, EXPIRED or
   * PARTIALLY_SUCCEEDED. EXPIRED jobs never run; FAILED and CANCELLED jobs write output only with
   * {@link #partialOutput(boolean)}.
   */
  public synchronized VertexKnobs endJobsAs(JobState state) {
    if (!ENDINGS.contains(state)) {
      throw new IllegalArgumentException("not a terminal state a job can end in: " + state);
    }
    this.ending = state;
    return this;
  }

  /** FAILED and CANCELLED jobs write the first half of their rows (the rest is incomplete). */
  public synchronized VertexKnobs partialOutput(boolean partial) {
    this.partialOutput = partial;
    return this;
  }

  /**
   * Spread each job's output over {@code files} files {@code predictions_0001.jsonl}...; 1 writes
   * {@code predictions.jsonl}.
   */
  public synchronized VertexKnobs outputFiles(int files) {
    if (files < 1) {
      throw new IllegalArgumentException("at least one output file");
    }
    this.outputFiles = files;
    return this;
  }

  /**
   * A line that is not a JSON object fails the whole job at import (code 3) instead of only its
   * row.
   */
  public synchronized VertexKnobs invalidJsonFailsJob(boolean failsJob) {
    this.invalidJsonFailsJob = failsJob;
    return this;
  }

  /**
   * How many characters (ASCII, so also bytes) the answer of a {@code [vertex:huge-response]} row
   * has; 32 MiB by default.
   */
  public synchronized VertexKnobs hugeResponseChars(int chars) {
    if (chars < 1) {
      throw new IllegalArgumentException("a huge response needs at least one character");
    }
    this.hugeResponseChars = chars;
    return this;
  }

  public synchronized int hugeResponseChars() {
    return hugeResponseChars;
  }

  /** How long new jobs stay PENDING and RUNNING; zero runs the job inside create. */
  public synchronized VertexKnobs delays(Duration pending, Duration running) {
    if (pending.isNegative() || running.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    this.pendingDelay = pending;
    this.runningDelay = running;
    return this;
  }

  /** Every GetBatchPredictionJob is answered only after this long (without holding a thread). */
  public synchronized VertexKnobs getLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.getLatency = latency;
    return this;
  }

  public synchronized int failingCreates() {
    return failingCreates;
  }

  public synchronized int failingGets() {
    return failingGets;
  }

  public synchronized JobState endingState() {
    return ending;
  }

  public synchronized boolean partialOutput() {
    return partialOutput;
  }

  public synchronized int outputFiles() {
    return outputFiles;
  }

  public synchronized boolean invalidJsonFailsJob() {
    return invalidJsonFailsJob;
  }

  public synchronized Duration pendingDelay() {
    return pendingDelay;
  }

  public synchronized Duration runningDelay() {
    return runningDelay;
  }

  public synchronized Duration getLatency() {
    return getLatency;
  }

  /** Consumes one planned create failure: the code to answer with, or OK when creates succeed. */
  synchronized Status.Code takeCreateFailure() {
    if (createsBeforeFailing > 0) {
      createsBeforeFailing--;
      return Status.Code.OK;
    }
    if (failingCreates == 0) {
      return Status.Code.OK;
    }
    failingCreates--;
    return createFailure;
  }

  /** Consumes one planned get failure: the code to answer with, or OK when gets succeed. */
  synchronized Status.Code takeGetFailure() {
    if (failingGets == 0) {
      return Status.Code.OK;
    }
    failingGets--;
    return getFailure;
  }

  /** Consumes one planned list failure: the code to answer with, or OK when lists succeed. */
  synchronized Status.Code takeListFailure() {
    if (failingLists == 0) {
      return Status.Code.OK;
    }
    failingLists--;
    return listFailure;
  }

  synchronized JobPlan planJob() {
    return new JobPlan(
        pendingDelay,
        runningDelay,
        ending,
        partialOutput,
        outputFiles,
        invalidJsonFailsJob,
        hugeResponseChars);
  }

  synchronized void reset() {
    failingCreates = 0;
    createsBeforeFailing = 0;
    createFailure = Status.Code.RESOURCE_EXHAUSTED;
    failingGets = 0;
    failingLists = 0;
    withheldCreateAnswers = 0;
    getFailure = Status.Code.UNAVAILABLE;
    ending = JobState.JOB_STATE_SUCCEEDED;
    partialOutput = false;
    outputFiles = 1;
    invalidJsonFailsJob = false;
    hugeResponseChars = DEFAULT_HUGE_RESPONSE_CHARS;
    pendingDelay = defaultPendingDelay;
    runningDelay = defaultRunningDelay;
    getLatency = Duration.ZERO;
  }
}
