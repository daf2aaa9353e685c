package io.batchdrop.emulator.gemini;

import java.time.Duration;
import java.util.Objects;

/**
 * Behaviour a test can change while the emulator runs. Thread-safe; a batch takes a snapshot
 * ({@link BatchPlan}) when it is created. Setters return {@code this} so calls chain.
 */
public final class GeminiKnobs {

  /** How long the real API keeps files and lets a batch wait or run. */
  public static final Duration FORTY_EIGHT_HOURS = Duration.ofHours(48);

  private final String defaultApiKey;
  private final Duration defaultPendingDelay;
  private final Duration defaultRunningDelay;

  private String apiKey;

  private Duration pendingDelay;
  private Duration runningDelay;
  private Duration batchExpiry = FORTY_EIGHT_HOURS;
  private Duration fileLifetime = FORTY_EIGHT_HOURS;
  private BatchState ending = BatchState.BATCH_STATE_SUCCEEDED;
  private int failingCreates;
  private int createFailure = 429;
  private int withheldCreateAnswers;
  private int failingGets;
  private int failingFileDeletes;
  private int fileDeleteFailure = 503;
  private int processingUploads;
  private int processingReads;
  private int responsesFileWithheld;
  private int getFailure = 503;
  private int stalledGets;
  private int cutDownloads;
  private int failingDownloads;
  private int downloadFailure = 503;
  private int stalledDownloads;
  private Duration getStall = Duration.ZERO;
  private Duration downloadStall = Duration.ZERO;

  GeminiKnobs(String apiKey, Duration pendingDelay, Duration runningDelay) {
    this.defaultApiKey = apiKey;
    this.apiKey = apiKey;
    this.defaultPendingDelay = pendingDelay;
    this.defaultRunningDelay = runningDelay;
    this.pendingDelay = pendingDelay;
    this.runningDelay = runningDelay;
  }

  /**
   * The one key the project accepts from now on: a key rotated in the console, after which the
   * previous key is answered 400 API_KEY_INVALID like any unknown key.
   */
  public synchronized GeminiKnobs rotateApiKey(String newKey) {
    if (Objects.requireNonNull(newKey, "newKey").isEmpty()) {
      throw new IllegalArgumentException("an API key must not be empty");
    }
    this.apiKey = newKey;
    return this;
  }

  /** How long new batches stay PENDING and RUNNING (measured on the emulator's clock). */
  public synchronized GeminiKnobs delays(Duration pending, Duration running) {
    if (pending.isNegative() || running.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    this.pendingDelay = pending;
    this.runningDelay = running;
    return this;
  }

  /**
   * A batch not finished this long after its creation ends EXPIRED, with no output (48 h, as the
   * real API).
   */
  public synchronized GeminiKnobs batchExpiry(Duration expiry) {
    if (expiry.isNegative() || expiry.isZero()) {
      throw new IllegalArgumentException("batch expiry must be positive");
    }
    this.batchExpiry = expiry;
    return this;
  }

  /**
   * Files (uploads and responses files) made from now on are deleted this long after their creation
   * (48 h, as the real API).
   */
  public synchronized GeminiKnobs fileLifetime(Duration lifetime) {
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("file lifetime must be positive");
    }
    this.fileLifetime = lifetime;
    return this;
  }

  /**
   * The state new batches end in: SUCCEEDED (default, with a responses file), FAILED, CANCELLED or
   * EXPIRED (without one).
   */
  public synchronized GeminiKnobs endBatchesAs(BatchState state) {
    if (!Objects.requireNonNull(state, "state").isTerminal()) {
      throw new IllegalArgumentException("not a terminal state: " + state);
    }
    this.ending = state;
    return this;
  }

  /** The next {@code count} batch creates fail with HTTP {@code httpCode} (429, 500, 503...). */
  public synchronized GeminiKnobs failNextCreates(int count, int httpCode) {
    requireFailure(count, httpCode);
    this.failingCreates = count;
    this.createFailure = httpCode;
    return this;
  }

  /**
   * The next {@code count} creates make their batch and then drop the connection without an answer:
   * the caller cannot tell whether the batch exists.
   */
  public synchronized GeminiKnobs withholdNextCreateAnswers(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.withheldCreateAnswers = count;
    return this;
  }

  /**
   * The next {@code count} gets of a succeeded batch answer it {@code BATCH_STATE_SUCCEEDED}
   * without its responses file ({@code metadata.output} and {@code response} left out), as the real
   * API was seen to answer a batch that had only just finished (tidyverse/ellmer#926: "The API can
   * report BATCH_STATE_SUCCEEDED before the responsesFile metadata is populated").
   */
  public synchronized GeminiKnobs withholdResponsesFileFromNextGets(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.responsesFileWithheld = count;
    return this;
  }

  /**
   * The next {@code files} uploads stay {@code PROCESSING} for their first {@code reads} reads
   * (files get), then are {@code ACTIVE}; a batch created from a file still {@code PROCESSING} is
   * refused 400 FAILED_PRECONDITION, as the real API refuses it (a large JSONL is not usable the
   * moment its upload ends).
   */
  public synchronized GeminiKnobs processNextUploads(int files, int reads) {
    if (files < 0 || reads < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
    this.processingUploads = files;
    this.processingReads = reads;
    return this;
  }

  /** The next {@code count} batch gets fail with HTTP {@code httpCode}. */
  public synchronized GeminiKnobs failNextGets(int count, int httpCode) {
    requireFailure(count, httpCode);
    this.failingGets = count;
    this.getFailure = httpCode;
    return this;
  }

  /** The next {@code count} file deletes fail with HTTP {@code httpCode}; the files stay. */
  public synchronized GeminiKnobs failNextFileDeletes(int count, int httpCode) {
    requireFailure(count, httpCode);
    this.failingFileDeletes = count;
    this.fileDeleteFailure = httpCode;
    return this;
  }

  /**
   * The next {@code count} batch gets send their headers and the first bytes of the answer, then
   * nothing more for {@code stall}: a server or a connection that stalls mid-answer.
   */
  public synchronized GeminiKnobs stallNextGets(int count, Duration stall) {
    requireStall(count, stall);
    this.stalledGets = count;
    this.getStall = stall;
    return this;
  }

  /**
   * The next {@code count} file downloads (each a ranged GET) send their headers and half the bytes
   * asked for, then drop the connection: a reset in the middle of a download.
   */
  public synchronized GeminiKnobs cutNextDownloads(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.cutDownloads = count;
    return this;
  }

  /**
   * The next {@code count} file downloads fail with HTTP {@code httpCode} before any byte, the file
   * still there (a 403 here is a refusal that files.get does not share).
   */
  public synchronized GeminiKnobs failNextDownloads(int count, int httpCode) {
    requireFailure(count, httpCode);
    this.failingDownloads = count;
    this.downloadFailure = httpCode;
    return this;
  }

  /** The next {@code count} file downloads send half the bytes asked for, then stall. */
  public synchronized GeminiKnobs stallNextDownloads(int count, Duration stall) {
    requireStall(count, stall);
    this.stalledDownloads = count;
    this.downloadStall = stall;
    return this;
  }

  synchronized boolean accepts(String key) {
    return apiKey.equals(key);
  }

  public synchronized Duration fileLifetime() {
    return fileLifetime;
  }

  synchronized BatchPlan planBatch() {
    return new BatchPlan(pendingDelay, runningDelay, batchExpiry, ending);
  }

  /** The HTTP code a create must fail with, or 0 when it goes through. */
  synchronized int takeCreateFailure() {
    if (failingCreates == 0) {
      return 0;
    }
    failingCreates--;
    return createFailure;
  }

  synchronized boolean takeWithheldCreateAnswer() {
    if (withheldCreateAnswers == 0) {
      return false;
    }
    withheldCreateAnswers--;
    return true;
  }

  /** How many reads a new upload stays PROCESSING for; 0 for ACTIVE at once. */
  synchronized int takeProcessingReads() {
    if (processingUploads == 0) {
      return 0;
    }
    processingUploads--;
    return processingReads;
  }

  synchronized boolean takeWithheldResponsesFile() {
    if (responsesFileWithheld == 0) {
      return false;
    }
    responsesFileWithheld--;
    return true;
  }

  synchronized int takeGetFailure() {
    if (failingGets == 0) {
      return 0;
    }
    failingGets--;
    return getFailure;
  }

  synchronized int takeFileDeleteFailure() {
    if (failingFileDeletes == 0) {
      return 0;
    }
    failingFileDeletes--;
    return fileDeleteFailure;
  }

  /** How long this get stalls mid-answer, or zero. */
  synchronized Duration takeGetStall() {
    if (stalledGets == 0) {
      return Duration.ZERO;
    }
    stalledGets--;
    return getStall;
  }

  /** The HTTP code a download must fail with, or 0 when it goes through. */
  synchronized int takeDownloadFailure() {
    if (failingDownloads == 0) {
      return 0;
    }
    failingDownloads--;
    return downloadFailure;
  }

  synchronized boolean takeDownloadCut() {
    if (cutDownloads == 0) {
      return false;
    }
    cutDownloads--;
    return true;
  }

  /** How long this download stalls mid-answer, or zero. */
  synchronized Duration takeDownloadStall() {
    if (stalledDownloads == 0) {
      return Duration.ZERO;
    }
    stalledDownloads--;
    return downloadStall;
  }

  synchronized void reset() {
    apiKey = defaultApiKey;
    pendingDelay = defaultPendingDelay;
    runningDelay = defaultRunningDelay;
    batchExpiry = FORTY_EIGHT_HOURS;
    fileLifetime = FORTY_EIGHT_HOURS;
    ending = BatchState.BATCH_STATE_SUCCEEDED;
    failingCreates = 0;
    withheldCreateAnswers = 0;
    failingGets = 0;
    failingFileDeletes = 0;
    responsesFileWithheld = 0;
    processingUploads = 0;
    processingReads = 0;
    stalledGets = 0;
    cutDownloads = 0;
    failingDownloads = 0;
    stalledDownloads = 0;
    getStall = Duration.ZERO;
    downloadStall = Duration.ZERO;
  }

  private static void requireStall(int count, Duration stall) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (stall.isNegative() || stall.isZero()) {
      throw new IllegalArgumentException("a stall must be positive, not " + stall);
    }
  }

  private static void requireFailure(int count, int httpCode) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (httpCode < 400 || httpCode > 599) {
      throw new IllegalArgumentException("a failure needs an HTTP error code, not " + httpCode);
    }
  }
}
