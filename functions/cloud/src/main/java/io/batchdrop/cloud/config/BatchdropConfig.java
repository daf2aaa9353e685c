package io.batchdrop.cloud.config;

import io.batchdrop.validation.Policy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a deployment configures, read once from the environment (design §8). Immutable; a
 * missing or malformed variable fails fast with a {@link ConfigException} naming it.
 *
 * <p>A function reads the shared settings and its own group only ({@link #forFunction}), so a
 * deployment need not give poll the inbox bucket, nor submit the completions topic, and a typo in
 * one function's setting never stops another. A setting of a group that was not read is absent: its
 * accessor throws {@link IllegalStateException} naming the variable, so code that starts to use
 * another function's setting fails in its first test rather than running on a default. The command
 * line and the tests read everything ({@link #fromEnvironment}).
 *
 * <table>
 *   <caption>Who reads what (the README's "read by" column)</caption>
 *   <tr><th>group</th><th>read by</th><th>settings</th></tr>
 *   <tr><td>shared</td><td>every function</td><td>project, location, work bucket, results and
 *       events topics, {@link Limits#maxLineBytes()}, {@link #vertexRetry()}, lease, endpoints,
 *       backends</td></tr>
 *   <tr><td>submit</td><td>submit</td><td>inbox bucket and prefix, models, policy, invalid
 *       ratio, file buckets, the other {@link Limits}, run cost budget</td></tr>
 *   <tr><td>poll</td><td>poll</td><td>{@link Poll}, completions topic</td></tr>
 *   <tr><td>publish</td><td>publish</td><td>{@link Publish}, attempts per row, completions
 *       topic</td></tr>
 *   <tr><td>prices</td><td>submit, publish</td><td>{@link #priceTable()}</td></tr>
 * </table>
 */
public record BatchdropConfig(
    String projectId,
    String location,
    String inboxBucket,
    String inboxPrefix,
    String workBucket,
    Topics topics,
    Models models,
    Policy policy,
    double maxInvalidRatio,
    int maxAttempts,
    List<String> allowedFileBuckets,
    Limits limits,
    Retry vertexRetry,
    Duration leaseDuration,
    Endpoints endpoints,
    Poll poll,
    Publish publish,
    Optional<BigDecimal> maxRunCostUsd,
    BackendChoice backends,
    Optional<String> priceTable) {

  /** A function that reads its own group of settings beside the shared ones. */
  public enum Reader {
    SUBMIT,
    POLL,
    PUBLISH
  }

  // The accessors of settings some functions do not read: each fails naming its variable when it
  // was not read (Unread), instead of handing out a value nobody checked.

  @Override
  public String inboxBucket() {
    return Unread.check(inboxBucket, "BATCHDROP_INBOX_BUCKET", "submit");
  }

  @Override
  public String inboxPrefix() {
    return Unread.check(inboxPrefix, "BATCHDROP_INBOX_PREFIX", "submit");
  }

  @Override
  public Models models() {
    return Unread.check(models, "BATCHDROP_DEFAULT_MODEL and BATCHDROP_ALLOWED_MODELS", "submit");
  }

  @Override
  public Policy policy() {
    return Unread.check(policy, "BATCHDROP_POLICY", "submit");
  }

  @Override
  public double maxInvalidRatio() {
    return Unread.check(maxInvalidRatio, "BATCHDROP_MAX_INVALID_RATIO", "submit");
  }

  @Override
  public List<String> allowedFileBuckets() {
    return Unread.check(allowedFileBuckets, "BATCHDROP_ALLOWED_FILE_BUCKETS", "submit");
  }

  @Override
  public Optional<BigDecimal> maxRunCostUsd() {
    return Unread.check(maxRunCostUsd, "BATCHDROP_MAX_RUN_COST_USD", "submit");
  }

  @Override
  public Poll poll() {
    return Unread.check(poll, "BATCHDROP_POLL_* and the job watchdog settings", "poll");
  }

  @Override
  public Publish publish() {
    return Unread.check(publish, "BATCHDROP_PUBLISH_* settings", "publish");
  }

  @Override
  public int maxAttempts() {
    return Unread.check(maxAttempts, "BATCHDROP_MAX_ATTEMPTS", "publish");
  }

  @Override
  public Optional<String> priceTable() {
    return Unread.check(priceTable, "BATCHDROP_PRICE_TABLE", "submit and publish");
  }

  /**
   * Topic ids (not full names) in {@link #projectId()}; completions is poll's and publish's. {@code
   * pollSlices} is the fan-out topic a crowded poll tick publishes its slices to (empty: one poll
   * call takes what it can, the rest waits for the next tick).
   */
  public record Topics(
      String results, String events, String completions, Optional<String> pollSlices) {
    @Override
    public String completions() {
      return Unread.check(completions, "BATCHDROP_COMPLETIONS_TOPIC", "poll and publish");
    }
  }

  /** The model used when a file names none, and every model a file may name. */
  public record Models(String defaultModel, List<String> allowed) {
    public boolean isAllowed(String model) {
      return allowed.contains(model);
    }
  }

  /**
   * Size limits: of an uploaded file, of one line, and of the input of one Vertex job. The line
   * limit is shared (every function reads staged or output lines); the other three are submit's.
   */
  public record Limits(
      long maxFileBytes, int maxLineBytes, long maxRowsPerJob, long maxBytesPerJob) {
    @Override
    public long maxFileBytes() {
      return Unread.check(maxFileBytes, "BATCHDROP_MAX_FILE_BYTES", "submit");
    }

    @Override
    public long maxRowsPerJob() {
      return Unread.check(maxRowsPerJob, "BATCHDROP_MAX_ROWS_PER_JOB", "submit");
    }

    @Override
    public long maxBytesPerJob() {
      return Unread.check(maxBytesPerJob, "BATCHDROP_MAX_BYTES_PER_JOB", "submit");
    }
  }

  /**
   * Backoff for Vertex calls that failed with a retryable code, the deadline of each call, and the
   * timeout the platform kills a function invocation at ({@code
   * BATCHDROP_FUNCTION_TIMEOUT_SECONDS}, the deployed {@code timeout_seconds}): a create claim must
   * end before its holder can be killed.
   */
  public record Retry(
      int maxAttempts,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration callDeadline,
      Duration functionTimeout) {
    /** Kept free at the end of an invocation: recording the create answer and releasing. */
    public static final Duration RECORD_MARGIN = Duration.ofSeconds(60);

    public Duration backoff(int attempt) {
      long millis = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
      return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }

    /**
     * One attempt of a create at its worst: a lookup by label and the create, each to its deadline.
     */
    public Duration attemptDuration() {
      return callDeadline.multipliedBy(2);
    }

    /**
     * Long enough for every attempt and backoff of a create, with room to record the answer, but
     * never longer than an invocation may live: a claim that outlasts its holder's kill would let
     * nobody create until it runs out, and one holder's attempts never overlap the next holder's.
     */
    public Duration createWindow() {
      Duration window = attemptDuration().multipliedBy(maxAttempts).plusSeconds(30);
      for (int attempt = 1; attempt < maxAttempts; attempt++) {
        window = window.plus(backoff(attempt));
      }
      Duration lifetime = functionTimeout.minus(RECORD_MARGIN);
      return window.compareTo(lifetime) > 0 ? lifetime : window;
    }
  }

  /**
   * The poll function: jobs per call, parallel Vertex gets, the time budget of one call (below the
   * Scheduler attempt deadline), watchdog thresholds, how long a hand-off may stay unconfirmed
   * before it is sent again, the age past which a job is cancelled (zero: never), how many polls in
   * a row Vertex may answer NOT_FOUND before a job is taken as lost, and the run watchdog: how long
   * a run may sit unowned before {@code run.stuck}, before it is failed, and how many of submit's
   * deliveries may fail for a transient reason before it is failed.
   */
  public record Poll(
      int batchSize,
      int concurrency,
      Duration budget,
      Duration stuckQueued,
      Duration stuckRunning,
      Duration handoffResend,
      Duration cancelAfter,
      int lostAfterNotFound,
      Duration runStuck,
      Duration runMaxAge,
      int runMaxFailures) {
    /**
     * {@code BATCHDROP_RUN_MAX_FAILURES}: with Eventarc's backoff (10 s doubling to 600 s) ten
     * failed deliveries take about 40 minutes, well inside the run's maximum age, so a run whose
     * every delivery fails ends long before Eventarc gives up after a day.
     */
    public static final int DEFAULT_RUN_MAX_FAILURES = 10;

    public boolean cancelsOldJobs() {
      return !cancelAfter.isZero();
    }
  }

  /**
   * The publish function: its time budget per invocation (below the function timeout; then it
   * checkpoints and hands the job to a new invocation), the rows and the time per checkpoint window
   * (a crash repeats at most one window), the size past which one response is streamed to {@code
   * payloads/} instead of held in memory.
   */
  public record Publish(
      Duration budget, int windowRows, Duration windowTime, int inMemoryResponseBytes) {}

  /**
   * Where the official clients connect. Empty means the real Google endpoint; tests and the local
   * stack set the same variables the emulators document ({@code SECRET_MANAGER_ENDPOINT}: a
   * plaintext Secret Manager, {@code host:port}, without credentials).
   */
  public record Endpoints(
      Optional<String> firestoreEmulatorHost,
      Optional<String> pubsubEmulatorHost,
      Optional<String> storageEmulatorHost,
      Optional<String> vertexEndpoint,
      Optional<String> secretManagerEndpoint) {}

  /**
   * Which batch backend a file goes to: {@code BATCHDROP_BACKEND} for the deployment, object
   * metadata {@code batchdrop-backend} per file within {@code BATCHDROP_ALLOWED_BACKENDS} (by
   * default only the deployment's). The Gemini API key comes from Secret Manager ({@code
   * BATCHDROP_GEMINI_API_KEY_SECRET}, a secret version's resource name) or, for local use, from
   * {@code GEMINI_API_KEY}; {@code GEMINI_API_BASE_URL} points the SDK at an emulator.
   */
  public record BackendChoice(
      String defaultBackend,
      List<String> allowed,
      Optional<String> geminiApiKeySecret,
      Optional<ApiKey> geminiApiKey,
      Optional<String> geminiBaseUrl) {
    public boolean isAllowed(String backend) {
      return allowed.contains(backend);
    }
  }

  /** An API key: its text is never part of a {@code toString}, so never of a log line. */
  public record ApiKey(String value) {
    @Override
    public String toString() {
      return "ApiKey[redacted]";
    }
  }

  public static final long GIB = 1L << 30;

  /** Every group: for the command line, which acts for every function, and for tests. */
  public static BatchdropConfig fromEnvironment(Map<String, String> environment) {
    return read(environment, EnumSet.allOf(Reader.class));
  }

  /**
   * The shared settings and {@code reader}'s group only: what its entry point reads at start. A
   * variable of another group is neither required nor checked.
   */
  public static BatchdropConfig forFunction(Reader reader, Map<String, String> environment) {
    return read(environment, EnumSet.of(reader));
  }

  private static BatchdropConfig read(Map<String, String> environment, Set<Reader> readers) {
    EnvReader env = new EnvReader(environment);
    boolean submit = readers.contains(Reader.SUBMIT);
    boolean poll = readers.contains(Reader.POLL);
    boolean publish = readers.contains(Reader.PUBLISH);
    String project =
        env.optional("GOOGLE_CLOUD_PROJECT")
            .or(() -> env.optional("GCP_PROJECT"))
            .orElseThrow(
                () ->
                    new ConfigException(
                        "GOOGLE_CLOUD_PROJECT is not set; expected the Google Cloud project id"));
    Models models = submit ? models(env) : null;
    Policy policy = submit ? policy(env) : null;
    String prefix = submit ? env.string("BATCHDROP_INBOX_PREFIX", "") : null;
    String inbox =
        submit
            ? env.required("BATCHDROP_INBOX_BUCKET", "the bucket users upload JSONL files to")
            : null;
    String work =
        env.required(
            "BATCHDROP_WORK_BUCKET", "the bucket for staged input, Vertex output and reports");
    if (submit && inbox.equals(work)) {
      // The upload trigger fires for every object of its bucket: staged shards and Vertex output
      // written there would each start a new run.
      throw new ConfigException(
          "BATCHDROP_WORK_BUCKET is \""
              + work
              + "\", the same as BATCHDROP_INBOX_BUCKET; expected a separate bucket");
    }
    return new BatchdropConfig(
        project,
        env.string("BATCHDROP_LOCATION", "us-central1"),
        inbox,
        submit ? (prefix.startsWith("/") ? prefix.substring(1) : prefix) : null,
        work,
        new Topics(
            env.required("BATCHDROP_RESULTS_TOPIC", "the topic id for one result message per row"),
            env.required("BATCHDROP_EVENTS_TOPIC", "the topic id for run and job lifecycle events"),
            poll || publish
                ? env.required(
                    "BATCHDROP_COMPLETIONS_TOPIC",
                    "the topic id that hands finished jobs to publish")
                : null,
            poll ? env.optional("BATCHDROP_POLL_SLICES_TOPIC") : Optional.empty()),
        models,
        policy,
        submit ? env.doubleValue("BATCHDROP_MAX_INVALID_RATIO", 0.10, 0.0, 1.0) : Unread.RATIO,
        publish ? env.intValue("BATCHDROP_MAX_ATTEMPTS", 3, 1, 10) : Unread.NUMBER,
        submit ? env.list("BATCHDROP_ALLOWED_FILE_BUCKETS") : null,
        new Limits(
            submit ? env.longValue("BATCHDROP_MAX_FILE_BYTES", GIB, 1, 64 * GIB) : Unread.NUMBER,
            env.intValue("BATCHDROP_MAX_LINE_BYTES", 10 << 20, 1024, 512 << 20),
            submit
                ? env.longValue("BATCHDROP_MAX_ROWS_PER_JOB", 200_000, 1, 200_000)
                : Unread.NUMBER,
            submit
                ? env.longValue("BATCHDROP_MAX_BYTES_PER_JOB", 1_000_000_000L, 1024, GIB)
                : Unread.NUMBER),
        new Retry(
            env.intValue("BATCHDROP_VERTEX_MAX_ATTEMPTS", 5, 1, 20),
            Duration.ofMillis(env.longValue("BATCHDROP_VERTEX_BACKOFF_MS", 1_000, 1, 60_000)),
            Duration.ofSeconds(30),
            Duration.ofSeconds(env.longValue("BATCHDROP_VERTEX_DEADLINE_SECONDS", 60, 1, 300)),
            functionTimeout(env)),
        Duration.ofSeconds(env.longValue("BATCHDROP_LEASE_SECONDS", 120, 1, 3600)),
        new Endpoints(
            env.optional("FIRESTORE_EMULATOR_HOST"),
            env.optional("PUBSUB_EMULATOR_HOST"),
            env.optional("STORAGE_EMULATOR_HOST"),
            env.optional("VERTEX_ENDPOINT"),
            env.optional("SECRET_MANAGER_ENDPOINT")),
        poll ? poll(env) : null,
        publish ? publish(env) : null,
        submit ? maxRunCost(env) : null,
        backendChoice(env),
        submit || publish ? env.optional("BATCHDROP_PRICE_TABLE") : null);
  }

  private static Models models(EnvReader env) {
    String defaultModel = env.string("BATCHDROP_DEFAULT_MODEL", "gemini-2.5-flash");
    List<String> allowedModels = env.list("BATCHDROP_ALLOWED_MODELS");
    if (allowedModels.isEmpty()) {
      return new Models(defaultModel, List.of(defaultModel));
    }
    if (!allowedModels.contains(defaultModel)) {
      throw new ConfigException(
          "BATCHDROP_ALLOWED_MODELS is \""
              + String.join(",", allowedModels)
              + "\"; expected it to include BATCHDROP_DEFAULT_MODEL ("
              + defaultModel
              + ")");
    }
    return new Models(defaultModel, allowedModels);
  }

  private static Policy policy(EnvReader env) {
    try {
      return Policy.parse(env.string("BATCHDROP_POLICY", "lenient"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "BATCHDROP_POLICY is \""
              + env.string("BATCHDROP_POLICY", "")
              + "\"; expected lenient or strict");
    }
  }

  private static Poll poll(EnvReader env) {
    return new Poll(
        env.intValue("BATCHDROP_POLL_BATCH", 1000, 1, 10_000),
        env.intValue("BATCHDROP_POLL_CONCURRENCY", 16, 1, 64),
        Duration.ofSeconds(env.longValue("BATCHDROP_POLL_BUDGET_SECONDS", 120, 1, 1700)),
        hours(env.doubleValue("BATCHDROP_STUCK_QUEUED_HOURS", 24, 0, 24 * 30)),
        hours(env.doubleValue("BATCHDROP_STUCK_RUNNING_HOURS", 26, 0, 24 * 30)),
        Duration.ofMinutes(env.longValue("BATCHDROP_HANDOFF_RESEND_MINUTES", 30, 1, 24 * 60)),
        hours(env.doubleValue("BATCHDROP_CANCEL_AFTER_HOURS", 0, 0, 24 * 30)),
        env.intValue("BATCHDROP_LOST_AFTER_NOT_FOUND", 3, 1, 100),
        Duration.ofMinutes(env.longValue("BATCHDROP_RUN_STUCK_MINUTES", 30, 0, 7 * 24 * 60)),
        hours(env.doubleValue("BATCHDROP_RUN_MAX_AGE_HOURS", 2, 0, 24 * 30)),
        env.intValue("BATCHDROP_RUN_MAX_FAILURES", Poll.DEFAULT_RUN_MAX_FAILURES, 1, 1000));
  }

  private static Publish publish(EnvReader env) {
    return new Publish(
        Duration.ofSeconds(env.longValue("BATCHDROP_PUBLISH_BUDGET_SECONDS", 420, 10, 3500)),
        env.intValue("BATCHDROP_PUBLISH_WINDOW_ROWS", 2000, 1, 100_000),
        Duration.ofMillis(env.longValue("BATCHDROP_PUBLISH_WINDOW_MS", 5000, 10, 600_000)),
        env.intValue("BATCHDROP_MAX_RESPONSE_IN_MEMORY_BYTES", 16 << 20, 1024, 256 << 20));
  }

  private static final List<String> BACKENDS = List.of("vertex", "gemini-api");

  private static BackendChoice backendChoice(EnvReader env) {
    String backend = env.string("BATCHDROP_BACKEND", "vertex");
    if (!BACKENDS.contains(backend)) {
      throw new ConfigException(
          "BATCHDROP_BACKEND is \"" + backend + "\"; expected vertex or gemini-api");
    }
    List<String> allowed = env.list("BATCHDROP_ALLOWED_BACKENDS");
    for (String name : allowed) {
      if (!BACKENDS.contains(name)) {
        throw new ConfigException(
            "BATCHDROP_ALLOWED_BACKENDS names \"" + name + "\"; expected vertex or gemini-api");
      }
    }
    if (allowed.isEmpty()) {
      allowed = List.of(backend);
    } else if (!allowed.contains(backend)) {
      throw new ConfigException(
          "BATCHDROP_ALLOWED_BACKENDS is \""
              + String.join(",", allowed)
              + "\"; expected it to include BATCHDROP_BACKEND ("
              + backend
              + ")");
    }
    Optional<String> secret = env.optional("BATCHDROP_GEMINI_API_KEY_SECRET");
    if (secret.isPresent()
        && !secret.get().matches("projects/[^/]+/secrets/[^/]+/versions/[^/]+")) {
      throw new ConfigException(
          "BATCHDROP_GEMINI_API_KEY_SECRET is \""
              + secret.get()
              + "\"; expected a secret version, projects/P/secrets/S/versions/V");
    }
    Optional<ApiKey> key = env.optional("GEMINI_API_KEY").map(ApiKey::new);
    if (allowed.contains("gemini-api") && secret.isEmpty() && key.isEmpty()) {
      throw new ConfigException(
          "BATCHDROP_GEMINI_API_KEY_SECRET is not set; expected the secret version holding the"
              + " Gemini API key (or GEMINI_API_KEY for local use), since gemini-api is allowed");
    }
    return new BackendChoice(
        backend, List.copyOf(allowed), secret, key, env.optional("GEMINI_API_BASE_URL"));
  }

  private static Duration functionTimeout(EnvReader env) {
    Duration timeout =
        Duration.ofSeconds(env.longValue("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", 540, 1, 3600));
    Duration attempt =
        Duration.ofSeconds(env.longValue("BATCHDROP_VERTEX_DEADLINE_SECONDS", 60, 1, 300))
            .multipliedBy(2);
    if (timeout.compareTo(attempt.plus(Retry.RECORD_MARGIN)) < 0) {
      throw new ConfigException(
          "BATCHDROP_FUNCTION_TIMEOUT_SECONDS is "
              + timeout.toSeconds()
              + "; expected at least "
              + attempt.plus(Retry.RECORD_MARGIN).toSeconds()
              + " (one create attempt, two BATCHDROP_VERTEX_DEADLINE_SECONDS, plus "
              + Retry.RECORD_MARGIN.toSeconds()
              + " s to record its answer)");
    }
    return timeout;
  }

  /** A budget per run in US dollars; a run whose estimated cost is above it is rejected. */
  private static Optional<BigDecimal> maxRunCost(EnvReader env) {
    Optional<String> raw = env.optional("BATCHDROP_MAX_RUN_COST_USD");
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      BigDecimal value = new BigDecimal(raw.get());
      if (value.signum() > 0) {
        return Optional.of(value);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(
        "BATCHDROP_MAX_RUN_COST_USD is \""
            + raw.get()
            + "\"; expected a positive amount in US dollars");
  }

  private static Duration hours(double hours) {
    return Duration.ofMillis(Math.round(hours * 3_600_000));
  }

  /** {@code projects/P/locations/L/publishers/google/models/M}, as the Java sample builds it. */
  public String modelResource(String model) {
    return "projects/"
        + projectId
        + "/locations/"
        + location
        + "/publishers/google/models/"
        + model;
  }

  /** The Vertex API host for the location: regional by default, {@code global} supported. */
  public String vertexApiEndpoint() {
    return endpoints
        .vertexEndpoint()
        .orElseGet(
            () ->
                "global".equals(location)
                    ? "aiplatform.googleapis.com:443"
                    : location + "-aiplatform.googleapis.com:443");
  }
}
