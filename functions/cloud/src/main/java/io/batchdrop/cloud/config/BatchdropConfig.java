package io.batchdrop.cloud.config;

import io.batchdrop.staging.StagingLimits;
import io.batchdrop.validation.BucketNames;
import io.batchdrop.validation.Policy;
import io.batchdrop.validation.ValidatorConfig;
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
 * <p>The shared settings are components of this record; each function's own settings are one group
 * record ({@link Submit}, {@link Poll}, {@link Publish}) with its defaults named beside it. A
 * function reads the shared settings and its own group only ({@link #forFunction}), so a deployment
 * need not give poll the inbox bucket, nor submit the completions topic, and a typo in one
 * function's setting never stops another. A group that was not read is absent: its accessor throws
 * {@link IllegalStateException} naming the group's variables, so code that starts to use another
 * function's setting fails in its first test rather than running on a default. The command line and
 * the tests read everything ({@link #fromEnvironment}).
 *
 * <table>
 *   <caption>Who reads what (the README's "read by" column)</caption>
 *   <tr><th>group</th><th>read by</th><th>settings</th></tr>
 *   <tr><td>shared</td><td>every function</td><td>project, location, work bucket, results and
 *       events topics, {@link #maxLineBytes()}, {@link #vertexRetry()}, lease, endpoints,
 *       backends</td></tr>
 *   <tr><td>{@link Submit}</td><td>submit</td><td>inbox bucket and prefix, models, policy, invalid
 *       ratio, file buckets, file and job size limits, run cost budget, price table</td></tr>
 *   <tr><td>{@link Poll}</td><td>poll</td><td>batch, concurrency, budget, watchdogs, completions
 *       and poll-slices topics</td></tr>
 *   <tr><td>{@link Publish}</td><td>publish</td><td>budget, windows, in-memory response limit,
 *       attempts per row, completions topic, price table</td></tr>
 * </table>
 */
public record BatchdropConfig(
    String projectId,
    String location,
    String workBucket,
    Topics topics,
    int maxLineBytes,
    Retry vertexRetry,
    Duration leaseDuration,
    Endpoints endpoints,
    BackendChoice backends,
    Submit submit,
    Poll poll,
    Publish publish) {

  /** A function that reads its own group of settings beside the shared ones. */
  public enum Reader {
    SUBMIT,
    POLL,
    PUBLISH
  }

  /** Shared: the longest line any function reads (uploaded, staged or output), in bytes. */
  public static final int DEFAULT_MAX_LINE_BYTES = 10 << 20;

  /**
   * Submit's settings; throws naming them when this configuration was read for another function.
   */
  @Override
  public Submit submit() {
    return group(submit, "submit", "BATCHDROP_INBOX_BUCKET and the other submit settings");
  }

  /** Poll's settings; throws naming them when this configuration was read for another function. */
  @Override
  public Poll poll() {
    return group(poll, "poll", "BATCHDROP_POLL_*, the watchdog settings and the completions topic");
  }

  /** Publish's settings; throws naming them when read for another function. */
  @Override
  public Publish publish() {
    return group(
        publish,
        "publish",
        "BATCHDROP_PUBLISH_*, BATCHDROP_MAX_ATTEMPTS and the completions topic");
  }

  private static <T> T group(T group, String readBy, String variables) {
    if (group == null) {
      throw new IllegalStateException(
          variables
              + " are read by "
              + readBy
              + " only, and this configuration was read for another function; expected that"
              + " function to read them in its own group (BatchdropConfig.forFunction, design §8)");
    }
    return group;
  }

  /** Topic ids (not full names) in {@link #projectId()} that every function publishes to. */
  public record Topics(String results, String events) {}

  /** The model used when a file names none, and every model a file may name. */
  public record Models(String defaultModel, List<String> allowed) {
    public boolean isAllowed(String model) {
      return allowed.contains(model);
    }
  }

  /**
   * The submit function: where uploads come from ({@code inboxPrefix} without a leading slash), the
   * models and validation policy a file may use, the buckets a {@code fileUri} may name (empty:
   * any), the size limits of an uploaded file and of one job's input, the cost budget per run
   * (empty: none) and the price table override (empty: the built-in table).
   */
  public record Submit(
      String inboxBucket,
      String inboxPrefix,
      Models models,
      Policy policy,
      double maxInvalidRatio,
      List<String> allowedFileBuckets,
      long maxFileBytes,
      long maxRowsPerJob,
      long maxBytesPerJob,
      Optional<BigDecimal> maxRunCostUsd,
      Optional<String> priceTable) {
    public static final String DEFAULT_MODEL = "gemini-2.5-flash";
    public static final Policy DEFAULT_POLICY = Policy.LENIENT;
    public static final double DEFAULT_MAX_INVALID_RATIO = 0.10;
    public static final long DEFAULT_MAX_FILE_BYTES = GIB;

    /** Rows and bytes of one job's input; the backend's own limits cap them too. */
    public static final long DEFAULT_MAX_ROWS_PER_JOB = 200_000;

    public static final long DEFAULT_MAX_BYTES_PER_JOB = 1_000_000_000L;
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
   * deliveries may fail for a transient reason before it is failed. It hands finished jobs off on
   * {@code completionsTopic}; {@code slicesTopic} is the fan-out topic a crowded tick publishes its
   * slices to (empty: one call takes what it can, the rest waits for the next tick).
   */
  public record Poll(
      int batchSize,
      int concurrency,
      Duration budget,
      Duration stuckQueued,
      Duration stuckRunning,
      Duration stuckPublish,
      Duration handoffResend,
      Duration cancelAfter,
      int lostAfterNotFound,
      Duration runStuck,
      Duration runMaxAge,
      int runMaxFailures,
      String completionsTopic,
      Optional<String> slicesTopic) {
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(120);
    public static final Duration DEFAULT_STUCK_QUEUED = Duration.ofHours(24);
    public static final Duration DEFAULT_STUCK_RUNNING = Duration.ofHours(26);

    /**
     * {@code BATCHDROP_STUCK_PUBLISH_HOURS}: a job's publish takes minutes, a few invocations when
     * it is large; twelve hand-offs later something no retry fixes is likely in the way.
     */
    public static final Duration DEFAULT_STUCK_PUBLISH = Duration.ofHours(6);

    public static final Duration DEFAULT_HANDOFF_RESEND = Duration.ofMinutes(30);
    public static final int DEFAULT_LOST_AFTER_NOT_FOUND = 3;
    public static final Duration DEFAULT_RUN_STUCK = Duration.ofMinutes(30);
    public static final Duration DEFAULT_RUN_MAX_AGE = Duration.ofHours(2);

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
   * checkpoints and hands the job to a new invocation, on {@code completionsTopic}), the rows and
   * the time per checkpoint window (a crash repeats at most one window), the size past which one
   * response is streamed to {@code payloads/} instead of held in memory, how many attempts a row
   * gets, the price table override (empty: the built-in table), and whether a succeeded response's
   * inline media ({@code inlineData}) is written to {@code payloads/} and referenced by {@code
   * fileData} instead of carried in the message ({@code BATCHDROP_SPILL_INLINE_MEDIA}, off by
   * default).
   */
  public record Publish(
      Duration budget,
      int windowRows,
      Duration windowTime,
      int inMemoryResponseBytes,
      int maxAttempts,
      String completionsTopic,
      Optional<String> priceTable,
      boolean spillInlineMedia) {
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(420);
    public static final int DEFAULT_WINDOW_ROWS = 2000;
    public static final Duration DEFAULT_WINDOW_TIME = Duration.ofSeconds(5);
    public static final int DEFAULT_IN_MEMORY_RESPONSE_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
  }

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

  /**
   * The shared settings alone, with no bucket required: for a command that reads Firestore only
   * (the command line's {@code runs} and {@code status}), which an operator may run without naming
   * buckets it never uses. {@link #workBucket()} throws naming its variable when none was given.
   */
  public static BatchdropConfig forFirestoreReader(Map<String, String> environment) {
    return read(environment, EnumSet.noneOf(Reader.class), false);
  }

  /** The work bucket; throws naming its variable when this configuration was read without it. */
  @Override
  public String workBucket() {
    if (workBucket == null) {
      throw new IllegalStateException(
          "BATCHDROP_WORK_BUCKET was not read: this configuration is for a command that reads"
              + " Firestore only; expected the work bucket's users to read it"
              + " (BatchdropConfig.fromEnvironment)");
    }
    return workBucket;
  }

  private static BatchdropConfig read(Map<String, String> environment, Set<Reader> readers) {
    return read(environment, readers, true);
  }

  private static BatchdropConfig read(
      Map<String, String> environment, Set<Reader> readers, boolean withWorkBucket) {
    EnvReader env = new EnvReader(environment);
    String project =
        env.optional("GOOGLE_CLOUD_PROJECT")
            .or(() -> env.optional("GCP_PROJECT"))
            .orElseThrow(
                () ->
                    new ConfigException(
                        "GOOGLE_CLOUD_PROJECT is not set; expected the Google Cloud project id"));
    String work =
        withWorkBucket
            ? env.required(
                "BATCHDROP_WORK_BUCKET", "the bucket for staged input, Vertex output and reports")
            : env.optional("BATCHDROP_WORK_BUCKET").orElse(null);
    Submit submit = readers.contains(Reader.SUBMIT) ? submit(env, work) : null;
    Topics topics =
        new Topics(
            env.required("BATCHDROP_RESULTS_TOPIC", "the topic id for one result message per row"),
            env.required(
                "BATCHDROP_EVENTS_TOPIC", "the topic id for run and job lifecycle events"));
    return new BatchdropConfig(
        project,
        env.string("BATCHDROP_LOCATION", "us-central1"),
        work,
        topics,
        env.intValue("BATCHDROP_MAX_LINE_BYTES", DEFAULT_MAX_LINE_BYTES, 1024, 512 << 20),
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
        backendChoice(env),
        submit,
        readers.contains(Reader.POLL) ? poll(env) : null,
        readers.contains(Reader.PUBLISH) ? publish(env) : null);
  }

  private static Submit submit(EnvReader env, String work) {
    String inbox = env.required("BATCHDROP_INBOX_BUCKET", "the bucket users upload JSONL files to");
    if (inbox.equals(work)) {
      // The upload trigger fires for every object of its bucket: staged shards and Vertex output
      // written there would each start a new run.
      throw new ConfigException(
          "BATCHDROP_WORK_BUCKET is \""
              + work
              + "\", the same as BATCHDROP_INBOX_BUCKET; expected a separate bucket");
    }
    Models models = models(env);
    Policy policy = policy(env);
    String prefix = env.string("BATCHDROP_INBOX_PREFIX", "");
    return new Submit(
        inbox,
        prefix.startsWith("/") ? prefix.substring(1) : prefix,
        models,
        policy,
        env.doubleValue("BATCHDROP_MAX_INVALID_RATIO", Submit.DEFAULT_MAX_INVALID_RATIO, 0.0, 1.0),
        allowedFileBuckets(env),
        env.longValue("BATCHDROP_MAX_FILE_BYTES", Submit.DEFAULT_MAX_FILE_BYTES, 1, 64 * GIB),
        env.longValue("BATCHDROP_MAX_ROWS_PER_JOB", Submit.DEFAULT_MAX_ROWS_PER_JOB, 1, 200_000),
        env.longValue("BATCHDROP_MAX_BYTES_PER_JOB", Submit.DEFAULT_MAX_BYTES_PER_JOB, 1024, GIB),
        maxRunCost(env),
        env.optional("BATCHDROP_PRICE_TABLE"));
  }

  /**
   * Bucket names as a row's {@code gs://bucket/...} names them, since the two are compared as
   * written: an entry such as {@code gs://media-in} or {@code Media-In} would match no row and set
   * aside every row with a file, so it is refused here.
   */
  private static List<String> allowedFileBuckets(EnvReader env) {
    List<String> buckets = env.list("BATCHDROP_ALLOWED_FILE_BUCKETS");
    for (String bucket : buckets) {
      if (!BucketNames.isBucketName(bucket)) {
        throw new ConfigException(
            "BATCHDROP_ALLOWED_FILE_BUCKETS names \""
                + bucket
                + "\", which is not a Cloud Storage bucket name; expected bucket names such as"
                + " media-in, comma-separated (3 to 222 lowercase letters, digits, -, _ or ., no"
                + " gs:// and no path)");
      }
    }
    return buckets;
  }

  private static String completionsTopic(EnvReader env) {
    return env.required(
        "BATCHDROP_COMPLETIONS_TOPIC", "the topic id that hands finished jobs to publish");
  }

  private static Models models(EnvReader env) {
    String defaultModel = env.string("BATCHDROP_DEFAULT_MODEL", Submit.DEFAULT_MODEL);
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
      return Policy.parse(env.string("BATCHDROP_POLICY", Submit.DEFAULT_POLICY.label()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "BATCHDROP_POLICY is \""
              + env.string("BATCHDROP_POLICY", "")
              + "\"; expected lenient or strict");
    }
  }

  private static Poll poll(EnvReader env) {
    return new Poll(
        env.intValue("BATCHDROP_POLL_BATCH", Poll.DEFAULT_BATCH_SIZE, 1, 10_000),
        env.intValue("BATCHDROP_POLL_CONCURRENCY", Poll.DEFAULT_CONCURRENCY, 1, 64),
        seconds(env, "BATCHDROP_POLL_BUDGET_SECONDS", Poll.DEFAULT_BUDGET, 1, 1700),
        hours(env, "BATCHDROP_STUCK_QUEUED_HOURS", Poll.DEFAULT_STUCK_QUEUED),
        hours(env, "BATCHDROP_STUCK_RUNNING_HOURS", Poll.DEFAULT_STUCK_RUNNING),
        hours(env, "BATCHDROP_STUCK_PUBLISH_HOURS", Poll.DEFAULT_STUCK_PUBLISH),
        Duration.ofMinutes(
            env.longValue(
                "BATCHDROP_HANDOFF_RESEND_MINUTES",
                Poll.DEFAULT_HANDOFF_RESEND.toMinutes(),
                1,
                24 * 60)),
        hours(env, "BATCHDROP_CANCEL_AFTER_HOURS", Duration.ZERO),
        env.intValue("BATCHDROP_LOST_AFTER_NOT_FOUND", Poll.DEFAULT_LOST_AFTER_NOT_FOUND, 1, 100),
        Duration.ofMinutes(
            env.longValue(
                "BATCHDROP_RUN_STUCK_MINUTES", Poll.DEFAULT_RUN_STUCK.toMinutes(), 0, 7 * 24 * 60)),
        hours(env, "BATCHDROP_RUN_MAX_AGE_HOURS", Poll.DEFAULT_RUN_MAX_AGE),
        env.intValue("BATCHDROP_RUN_MAX_FAILURES", Poll.DEFAULT_RUN_MAX_FAILURES, 1, 1000),
        completionsTopic(env),
        env.optional("BATCHDROP_POLL_SLICES_TOPIC"));
  }

  private static Publish publish(EnvReader env) {
    return new Publish(
        seconds(env, "BATCHDROP_PUBLISH_BUDGET_SECONDS", Publish.DEFAULT_BUDGET, 10, 3500),
        env.intValue("BATCHDROP_PUBLISH_WINDOW_ROWS", Publish.DEFAULT_WINDOW_ROWS, 1, 100_000),
        Duration.ofMillis(
            env.longValue(
                "BATCHDROP_PUBLISH_WINDOW_MS",
                Publish.DEFAULT_WINDOW_TIME.toMillis(),
                10,
                600_000)),
        env.intValue(
            "BATCHDROP_MAX_RESPONSE_IN_MEMORY_BYTES",
            Publish.DEFAULT_IN_MEMORY_RESPONSE_BYTES,
            1024,
            256 << 20),
        // At most what the run document is sized for: every attempt's job id is recorded there.
        env.intValue(
            "BATCHDROP_MAX_ATTEMPTS",
            Publish.DEFAULT_MAX_ATTEMPTS,
            1,
            io.batchdrop.staging.RunShardBudget.MAX_ATTEMPTS_PER_SHARD),
        completionsTopic(env),
        env.optional("BATCHDROP_PRICE_TABLE"),
        env.flag("BATCHDROP_SPILL_INLINE_MEDIA", false));
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

  private static Duration seconds(
      EnvReader env, String variable, Duration defaultValue, long min, long max) {
    return Duration.ofSeconds(env.longValue(variable, defaultValue.toSeconds(), min, max));
  }

  /** Hours, fractions allowed, up to 30 days. */
  private static Duration hours(EnvReader env, String variable, Duration defaultValue) {
    double hours = env.doubleValue(variable, defaultValue.toMillis() / 3_600_000.0, 0, 24 * 30);
    return Duration.ofMillis(Math.round(hours * 3_600_000));
  }

  /**
   * The validator's settings for this deployment's uploads, before the file's backend and model are
   * known: the line limit, the {@code fileUri} allow-list, and Batchdrop's own buckets that a row
   * may never name, allow-list or not: the inbox (every user's uploads) and the work bucket (every
   * run's staged input and output).
   */
  public ValidatorConfig validation() {
    Map<String, String> own = new java.util.LinkedHashMap<>();
    own.put(workBucket, "work bucket (every run's staged input and output)");
    own.putIfAbsent(submit().inboxBucket(), "inbox bucket (every user's uploads)");
    return ValidatorConfig.defaults()
        .withMaxLineBytes(maxLineBytes)
        .withAllowedFileBuckets(new java.util.LinkedHashSet<>(submit().allowedFileBuckets()))
        .withDeniedFileBuckets(own);
  }

  /**
   * The longest staged line any reader of the work bucket may meet: an uploaded line of at most
   * {@link #maxLineBytes()} plus what staging adds to it.
   */
  public int maxStagedLineBytes() {
    return maxLineBytes + StagingLimits.MAX_LINE_GROWTH_BYTES;
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
