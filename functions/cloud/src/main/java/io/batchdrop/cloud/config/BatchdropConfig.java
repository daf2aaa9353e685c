package io.batchdrop.cloud.config;

import io.batchdrop.validation.Policy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a deployment configures, read once from the environment (design §8). Immutable; a
 * missing or malformed variable fails fast with a {@link ConfigException} naming it.
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
    BackendChoice backends) {

  /** Topic ids (not full names) in {@link #projectId()}. */
  public record Topics(String results, String events, String completions) {}

  /** The model used when a file names none, and every model a file may name. */
  public record Models(String defaultModel, List<String> allowed) {
    public boolean isAllowed(String model) {
      return allowed.contains(model);
    }
  }

  /** Size limits: of an uploaded file, of one line, and of the input of one Vertex job. */
  public record Limits(
      long maxFileBytes, int maxLineBytes, long maxRowsPerJob, long maxBytesPerJob) {}

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
   * a run may sit unowned before {@code run.stuck}, and before it is failed.
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
      Duration runMaxAge) {
    public boolean cancelsOldJobs() {
      return !cancelAfter.isZero();
    }
  }

  /**
   * The publish function: its time budget per invocation (below the function timeout; then it
   * checkpoints and hands the job to a new invocation), the rows and the time per checkpoint window
   * (a crash repeats at most one window), the size past which one response is streamed to {@code
   * payloads/} instead of held in memory, and an optional JSON price table replacing the built-in
   * one.
   */
  public record Publish(
      Duration budget,
      int windowRows,
      Duration windowTime,
      int inMemoryResponseBytes,
      Optional<String> priceTable) {}

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

  public static BatchdropConfig fromEnvironment(Map<String, String> environment) {
    EnvReader env = new EnvReader(environment);
    String project =
        env.optional("GOOGLE_CLOUD_PROJECT")
            .or(() -> env.optional("GCP_PROJECT"))
            .orElseThrow(
                () ->
                    new ConfigException(
                        "GOOGLE_CLOUD_PROJECT is not set; expected the Google Cloud project id"));
    String defaultModel = env.string("BATCHDROP_DEFAULT_MODEL", "gemini-2.5-flash");
    List<String> allowedModels = env.list("BATCHDROP_ALLOWED_MODELS");
    if (allowedModels.isEmpty()) {
      allowedModels = List.of(defaultModel);
    } else if (!allowedModels.contains(defaultModel)) {
      throw new ConfigException(
          "BATCHDROP_ALLOWED_MODELS is \""
              + String.join(",", allowedModels)
              + "\"; expected it to include BATCHDROP_DEFAULT_MODEL ("
              + defaultModel
              + ")");
    }
    Policy policy;
    try {
      policy = Policy.parse(env.string("BATCHDROP_POLICY", "lenient"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "BATCHDROP_POLICY is \""
              + env.string("BATCHDROP_POLICY", "")
              + "\"; expected lenient or strict");
    }
    String prefix = env.string("BATCHDROP_INBOX_PREFIX", "");
    String inbox = env.required("BATCHDROP_INBOX_BUCKET", "the bucket users upload JSONL files to");
    String work =
        env.required(
            "BATCHDROP_WORK_BUCKET", "the bucket for staged input, Vertex output and reports");
    if (inbox.equals(work)) {
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
        prefix.startsWith("/") ? prefix.substring(1) : prefix,
        work,
        new Topics(
            env.required("BATCHDROP_RESULTS_TOPIC", "the topic id for one result message per row"),
            env.required("BATCHDROP_EVENTS_TOPIC", "the topic id for run and job lifecycle events"),
            env.required(
                "BATCHDROP_COMPLETIONS_TOPIC", "the topic id that hands finished jobs to publish")),
        new Models(defaultModel, allowedModels),
        policy,
        env.doubleValue("BATCHDROP_MAX_INVALID_RATIO", 0.10, 0.0, 1.0),
        env.intValue("BATCHDROP_MAX_ATTEMPTS", 3, 1, 10),
        env.list("BATCHDROP_ALLOWED_FILE_BUCKETS"),
        new Limits(
            env.longValue("BATCHDROP_MAX_FILE_BYTES", GIB, 1, 64 * GIB),
            env.intValue("BATCHDROP_MAX_LINE_BYTES", 10 << 20, 1024, 512 << 20),
            env.longValue("BATCHDROP_MAX_ROWS_PER_JOB", 200_000, 1, 200_000),
            env.longValue("BATCHDROP_MAX_BYTES_PER_JOB", 1_000_000_000L, 1024, GIB)),
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
        new Poll(
            env.intValue("BATCHDROP_POLL_BATCH", 1000, 1, 10_000),
            env.intValue("BATCHDROP_POLL_CONCURRENCY", 16, 1, 64),
            Duration.ofSeconds(env.longValue("BATCHDROP_POLL_BUDGET_SECONDS", 120, 1, 1700)),
            hours(env.doubleValue("BATCHDROP_STUCK_QUEUED_HOURS", 24, 0, 24 * 30)),
            hours(env.doubleValue("BATCHDROP_STUCK_RUNNING_HOURS", 26, 0, 24 * 30)),
            Duration.ofMinutes(env.longValue("BATCHDROP_HANDOFF_RESEND_MINUTES", 30, 1, 24 * 60)),
            hours(env.doubleValue("BATCHDROP_CANCEL_AFTER_HOURS", 0, 0, 24 * 30)),
            env.intValue("BATCHDROP_LOST_AFTER_NOT_FOUND", 3, 1, 100),
            Duration.ofMinutes(env.longValue("BATCHDROP_RUN_STUCK_MINUTES", 30, 0, 7 * 24 * 60)),
            hours(env.doubleValue("BATCHDROP_RUN_MAX_AGE_HOURS", 2, 0, 24 * 30))),
        new Publish(
            Duration.ofSeconds(env.longValue("BATCHDROP_PUBLISH_BUDGET_SECONDS", 420, 10, 3500)),
            env.intValue("BATCHDROP_PUBLISH_WINDOW_ROWS", 2000, 1, 100_000),
            Duration.ofMillis(env.longValue("BATCHDROP_PUBLISH_WINDOW_MS", 5000, 10, 600_000)),
            env.intValue("BATCHDROP_MAX_RESPONSE_IN_MEMORY_BYTES", 16 << 20, 1024, 256 << 20),
            env.optional("BATCHDROP_PRICE_TABLE")),
        maxRunCost(env),
        backendChoice(env));
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
