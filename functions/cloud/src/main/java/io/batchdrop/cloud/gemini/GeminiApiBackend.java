package io.batchdrop.cloud.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.BatchPredictionJob.OutputInfo;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.CreateEmbeddingsBatchJobConfig;
import com.google.genai.types.EmbeddingsBatchJobSource;
import com.google.genai.types.File;
import com.google.genai.types.FileState;
import com.google.genai.types.ListBatchJobsConfig;
import com.google.genai.types.ListFilesConfig;
import com.google.genai.types.UploadFileConfig;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.CreateGate;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.validation.ModelKinds;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.Channels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Gemini Developer API batch mode through the official SDK ({@code com.google.genai}), plus two
 * raw HTTP calls the SDK does not make well: the batch GET (its {@code BatchJob} drops {@code
 * batchStats}) and the ranged download of the responses file (its {@code files.download} holds the
 * whole file in memory).
 *
 * <ul>
 *   <li><b>create</b>: the staged shard is rewritten to the Gemini line shape beside it ({@link
 *       GeminiLines}), uploaded through the Files API (resumable, {@code application/jsonl}, fed
 *       through a {@link FillingStream}), and {@code batches.create(model, file)} is called with
 *       the job id as display name ({@code batches.createEmbeddings} for an embedding model, whose
 *       rows are embedding requests). OkHttp silently resends a create whose connection closed
 *       without an answer, so the SDK call can succeed with two batches made: every create is
 *       followed by a lookup by display name, and duplicates are cancelled.
 *   <li><b>find</b>: batches are listed newest first and matched by display name (the API has no
 *       labels and no list filter), scanning at most {@link #MAX_LISTED} batches.
 *   <li><b>get</b>: at a terminal state the responses file is copied into the work bucket as {@code
 *       predictions.jsonl} under the job's output prefix, before its 48 h expiry, so {@code
 *       publish}, {@code replay} and {@code results} read Cloud Storage on either backend; then the
 *       uploaded input file is deleted, against the project's 20 GB of files.
 * </ul>
 */
public final class GeminiApiBackend implements BatchBackend {
  /** How many batches a lookup scans, newest first; a job's own batch is among the newest. */
  static final int MAX_LISTED = 2_000;

  static final int MAX_REMEMBERED_UPLOADS = 1_000;

  /** How long a create waits for its uploaded file to leave PROCESSING. */
  static final Duration ACTIVE_WAIT = Duration.ofSeconds(60);

  private static final Duration MAX_ACTIVE_PAUSE = Duration.ofSeconds(5);

  /** Create failures after which the caller may create again (JobCreator): the upload is kept. */
  private static final Set<Code> RETRIED_ON_THE_SAME_FILE =
      Set.of(
          Code.RESOURCE_EXHAUSTED,
          Code.UNAUTHENTICATED,
          Code.UNAVAILABLE,
          Code.DEADLINE_EXCEEDED,
          Code.INTERNAL,
          Code.UNKNOWN,
          Code.ABORTED,
          Code.CANCELLED);

  /** One ranged GET of the responses file copies at most this much. */
  static final long DOWNLOAD_RANGE_BYTES = 32L << 20;

  private static final StructuredLog LOG = StructuredLog.forComponent("gemini-api");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Client client;
  private final GeminiHttp http;
  private final ResponsesFileCopy responsesCopy;
  private final Storage storage;
  private final int maxStagedLineBytes;
  private final Clock clock;

  /**
   * Job id to the file its last create uploaded, kept while that create may be retried: a retried
   * create (a 429, or an answer that may hide a batch, after a lookup found none) reuses the
   * uploaded file instead of uploading the shard again (up to 1 GB, against the project's 20 GB of
   * files kept 48 h). The oldest entries go past {@link #MAX_REMEMBERED_UPLOADS}.
   */
  private final Map<String, String> uploads =
      Collections.synchronizedMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
              return size() > MAX_REMEMBERED_UPLOADS;
            }
          });

  public GeminiApiBackend(
      Client client,
      HttpClient http,
      URI baseUrl,
      BatchdropConfig.ApiKey apiKey,
      Storage storage,
      BatchdropConfig config,
      Clock clock) {
    this.client = client;
    this.clock = clock;
    this.storage = storage;
    this.http = new GeminiHttp(http, baseUrl, apiKey, config.vertexRetry().callDeadline());
    this.responsesCopy = new ResponsesFileCopy(this.http, storage, DOWNLOAD_RANGE_BYTES);
    this.maxStagedLineBytes = config.maxStagedLineBytes();
  }

  @Override
  public String id() {
    return Backends.GEMINI_API;
  }

  @Override
  public Optional<BatchPredictionJob> find(JobSpec spec) {
    List<BatchJob> same = sameName(spec.jobId().value());
    if (same.isEmpty()) {
      return Optional.empty();
    }
    BatchJob keep = same.get(0);
    for (BatchJob duplicate : same.subList(1, same.size())) {
      cancelDuplicate(spec, duplicate);
    }
    return Optional.of(fromSdk(keep));
  }

  @Override
  public BatchPredictionJob create(JobSpec spec, CreateGate gate) throws InterruptedException {
    String fileName = uploaded(spec);
    // The upload and the wait for ACTIVE may have outlasted the claim; the upload is kept for this
    // job's next create on this instance.
    gate.pass();
    BatchJob made;
    try {
      // An embedding model's rows are EmbedContentRequests: models.asyncBatchEmbedContent.
      made =
          ModelKinds.isEmbedding(spec.model())
              ? client.batches.createEmbeddings(
                  spec.model(),
                  EmbeddingsBatchJobSource.builder().fileName(fileName).build(),
                  CreateEmbeddingsBatchJobConfig.builder()
                      .displayName(spec.jobId().value())
                      .build())
              : client.batches.create(
                  spec.model(),
                  BatchJobSource.builder().fileName(fileName).build(),
                  CreateBatchJobConfig.builder().displayName(spec.jobId().value()).build());
    } catch (RuntimeException e) {
      ApiException refused = GeminiErrors.fromSdk(e);
      if (!RETRIED_ON_THE_SAME_FILE.contains(refused.getStatusCode().getCode())) {
        uploads.remove(spec.jobId().value());
      }
      throw refused;
    }
    uploads.remove(spec.jobId().value());
    try {
      // The SDK's answer may be one of two batches (a silent resend): keep the oldest.
      return find(spec).orElseGet(() -> fromSdk(made));
    } catch (ApiException e) {
      LOG.warning()
          .job(spec.jobId())
          .with("error", e.getStatusCode().getCode())
          .log("lookup after create failed; keeping the created batch, the next find repeats it");
      return fromSdk(made);
    }
  }

  @Override
  public BatchPredictionJob get(String name, String outputUriPrefix) throws InterruptedException {
    JsonNode operation = getJson(name);
    BatchPredictionJob job = GeminiBatchJson.fromOperation(operation);
    Optional<String> responses = GeminiBatchJson.responsesFile(operation);
    if (responses.isEmpty() && job.getState() == JobState.JOB_STATE_SUCCEEDED) {
      if (GeminiBatchJson.responsesFileMayStillCome(job, clock.instant())) {
        // Seen on the real API: SUCCEEDED before the file is named. Done only once it is.
        return job.toBuilder().setState(JobState.JOB_STATE_RUNNING).build();
      }
      LOG.warning()
          .with("batch", name)
          .log("batch succeeded but never named a responses file; its rows have no output");
    }
    if (!VertexStates.isTerminal(job) || outputUriPrefix == null) {
      return job;
    }
    if (responses.isPresent()
        && responsesCopy.copy(
            responses.get(), blobId(outputUriPrefix + "predictions.jsonl"), job.getDisplayName())) {
      job =
          job.toBuilder()
              .setOutputInfo(OutputInfo.newBuilder().setGcsOutputDirectory(outputUriPrefix))
              .build();
    }
    // The responses are in the work bucket (or gone with their file): the input has done its job.
    GeminiBatchJson.inputFile(operation).ifPresent(file -> deleteInput(name, file));
    return job;
  }

  /**
   * Deletes a finished batch's uploaded input: the project holds 20 GB of files, each kept 48 h
   * after its upload, and a shard is up to 1 GB. Best effort: a refused delete is logged and the
   * file left to that expiry, since nothing of the run depends on it. One already gone (an earlier
   * get of the same finished batch deleted it, or it expired) is fine: the Files API answers a
   * missing file 403 PERMISSION_DENIED "… or it may not exist", not 404.
   */
  private void deleteInput(String batch, String file) {
    try {
      client.files.delete(file, null);
      LOG.info().with("batch", batch).with("file", file).log("uploaded input file deleted");
    } catch (RuntimeException e) {
      ApiException error = GeminiErrors.fromSdk(e);
      Code code = error.getStatusCode().getCode();
      if (code == Code.NOT_FOUND || code == Code.PERMISSION_DENIED) {
        LOG.info().with("batch", batch).with("file", file).log("uploaded input file already gone");
        return;
      }
      LOG.warning()
          .with("batch", batch)
          .with("file", file)
          .with("error", error.getStatusCode().getCode())
          .log("uploaded input file not deleted; the Files API removes it 48 h after its upload");
    }
  }

  @Override
  public void cancel(String name) {
    try {
      // batches.cancel does not read its answer: a refused cancel is silent, a later get tells.
      client.batches.cancel(name, null);
    } catch (RuntimeException e) {
      throw GeminiErrors.fromSdk(e);
    }
  }

  /**
   * The Files API name of the job's upload: the one an earlier create of this job uploaded (on this
   * instance, else found by its display name), while the file is still there, else a new upload.
   */
  private String uploaded(JobSpec spec) throws InterruptedException {
    String earlier = uploads.get(spec.jobId().value());
    FileState.Known state = earlier == null ? null : stateOf(earlier);
    if (state != FileState.Known.ACTIVE && state != FileState.Known.PROCESSING) {
      Optional<File> found = uploadedElsewhere(spec);
      if (found.isPresent()) {
        earlier = found.get().name().orElseThrow();
        state = found.get().state().map(FileState::knownEnum).orElse(null);
        uploads.put(spec.jobId().value(), earlier);
        LOG.info()
            .job(spec.jobId())
            .with("file", earlier)
            .log("reusing the file an earlier create of this job uploaded");
      }
    }
    String fileName = earlier;
    if (state != FileState.Known.ACTIVE && state != FileState.Known.PROCESSING) {
      File file = upload(spec);
      fileName = file.name().orElseThrow();
      uploads.put(spec.jobId().value(), fileName);
      state = file.state().map(FileState::knownEnum).orElseGet(() -> stateOf(file.name().get()));
    }
    awaitActive(spec, fileName, state);
    return fileName;
  }

  /**
   * Returns once the file is ACTIVE, re-reading it with growing pauses for at most {@link
   * #ACTIVE_WAIT}: the API refuses a batch from a file still PROCESSING (400 FAILED_PRECONDITION
   * "not in an ACTIVE state"), which would fail the whole run, and a large JSONL is not ACTIVE the
   * moment its upload ends. Still PROCESSING after that is UNAVAILABLE (the next attempt waits for
   * the same file); FAILED is UNAVAILABLE too and the next attempt uploads again.
   */
  private void awaitActive(JobSpec spec, String fileName, FileState.Known state)
      throws InterruptedException {
    Instant until = clock.instant().plus(ACTIVE_WAIT);
    Duration pause = Duration.ofMillis(250);
    FileState.Known now = state;
    while (now != FileState.Known.ACTIVE) {
      if (now == FileState.Known.FAILED || now == null) {
        uploads.remove(spec.jobId().value());
        throw GeminiErrors.of(
            Code.UNAVAILABLE,
            "the Files API did not accept " + fileName + " (" + now + "); expected ACTIVE",
            null);
      }
      if (clock.instant().plus(pause).isAfter(until)) {
        throw GeminiErrors.of(
            Code.UNAVAILABLE,
            fileName + " is still PROCESSING after " + ACTIVE_WAIT + "; expected ACTIVE",
            null);
      }
      Thread.sleep(pause.toMillis());
      pause =
          pause.multipliedBy(2).compareTo(MAX_ACTIVE_PAUSE) > 0
              ? MAX_ACTIVE_PAUSE
              : pause.multipliedBy(2);
      now = stateOf(fileName);
    }
  }

  /** The file's state; null when it is gone (expired, deleted) or the get failed. */
  private FileState.Known stateOf(String fileName) {
    try {
      return client.files.get(fileName, null).state().map(FileState::knownEnum).orElse(null);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The newest file an earlier create of this job uploaded (its display name is the job id) that is
   * ACTIVE or PROCESSING, scanning at most {@link #MAX_LISTED} files; empty when none is or the
   * list fails. A create on another instance (poll's recovery, a redelivery) whose upload and wait
   * for ACTIVE outlasted its claim gave up with its file kept: without this, each next attempt
   * uploaded the shard again (up to 1 GB, against the project's 20 GB of files) and, when that and
   * the wait outlast its claim too, gave up the same way on every instance.
   */
  private Optional<File> uploadedElsewhere(JobSpec spec) {
    String displayName = spec.jobId().value();
    File newest = null;
    try {
      int seen = 0;
      for (File file : client.files.list(ListFilesConfig.builder().pageSize(100).build())) {
        if (++seen > MAX_LISTED) {
          break;
        }
        FileState.Known state = file.state().map(FileState::knownEnum).orElse(null);
        if (displayName.equals(file.displayName().orElse(null))
            && file.name().isPresent()
            && (state == FileState.Known.ACTIVE || state == FileState.Known.PROCESSING)
            && (newest == null
                || file.createTime()
                    .orElse(Instant.MIN)
                    .isAfter(newest.createTime().orElse(Instant.MIN)))) {
          newest = file;
        }
      }
    } catch (RuntimeException e) {
      LOG.warning()
          .job(spec.jobId())
          .with("error", GeminiErrors.fromSdk(e).getStatusCode().getCode())
          .log("files list failed; the shard is uploaded again");
      return Optional.empty();
    }
    return Optional.ofNullable(newest);
  }

  /** The Gemini copy of the staged shard, uploaded, as the upload's answer describes it. */
  private File upload(JobSpec spec) {
    BlobId staged = blobId(spec.inputUri());
    BlobId gemini = BlobId.of(staged.getBucket(), geminiObject(staged.getName()));
    long size;
    try {
      size = rewrite(staged, gemini);
    } catch (IOException | StorageException e) {
      throw GeminiErrors.of(Code.UNAVAILABLE, "cannot rewrite " + spec.inputUri() + ": " + e, e);
    }
    try (ReadChannel channel = storage.reader(gemini)) {
      channel.setChunkSize(8 << 20);
      File file =
          client.files.upload(
              new FillingStream(Channels.newInputStream(channel)),
              size,
              UploadFileConfig.builder()
                  .mimeType("application/jsonl")
                  .displayName(spec.jobId().value())
                  .build());
      return file;
    } catch (RuntimeException e) {
      throw GeminiErrors.fromSdk(e);
    }
  }

  /** Streams the staged shard into its Gemini-shaped copy, line by line; the copy's size. */
  private long rewrite(BlobId staged, BlobId target) throws IOException {
    GeminiLines lines = new GeminiLines();
    long written = 0;
    try (ReadChannel reader = storage.reader(staged);
        WriteChannel writer =
            storage.writer(
                BlobInfo.newBuilder(target).setContentType("application/jsonl").build())) {
      reader.setChunkSize(2 << 20);
      InputStream in = new BufferedInputStream(Channels.newInputStream(reader), 1 << 16);
      OutputStream out = Channels.newOutputStream(writer);
      ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
      long offset = 0;
      int b;
      while (true) {
        b = in.read();
        if (b != '\n' && b != -1) {
          line.write(b);
          if (line.size() > maxStagedLineBytes) {
            throw new IOException("a staged line at byte " + offset + " is over the line limit");
          }
          continue;
        }
        if (line.size() > 0) {
          byte[] rewritten = lines.rewrite(line.toByteArray(), offset);
          out.write(rewritten);
          out.write('\n');
          written += rewritten.length + 1;
          offset += line.size() + 1;
          line.reset();
        }
        if (b == -1) {
          break;
        }
      }
      out.flush();
    }
    return written;
  }

  /** Batches with this display name, oldest first. */
  private List<BatchJob> sameName(String displayName) {
    List<BatchJob> same = new ArrayList<>();
    try {
      int seen = 0;
      for (BatchJob job :
          client.batches.list(ListBatchJobsConfig.builder().pageSize(100).build())) {
        if (++seen > MAX_LISTED) {
          break;
        }
        if (displayName.equals(job.displayName().orElse(null))) {
          same.add(job);
        }
      }
    } catch (RuntimeException e) {
      throw GeminiErrors.fromSdk(e);
    }
    same.sort(
        Comparator.comparing((BatchJob j) -> j.createTime().orElse(java.time.Instant.MAX))
            .thenComparing(j -> j.name().orElse("")));
    return same;
  }

  private void cancelDuplicate(JobSpec spec, BatchJob duplicate) {
    String name = duplicate.name().orElse("");
    try {
      client.batches.cancel(name, null);
      client.batches.delete(name, null);
      LOG.warning()
          .job(spec.jobId())
          .with("duplicate", name)
          .log("a second batch with the job's display name was cancelled and deleted");
    } catch (RuntimeException e) {
      LOG.warning()
          .job(spec.jobId())
          .with("duplicate", name)
          .failure(e)
          .log("duplicate batch not cancelled; the next lookup tries again");
    }
  }

  private JsonNode getJson(String name) throws InterruptedException {
    if (!name.startsWith("batches/")) {
      throw GeminiErrors.of(Code.INVALID_ARGUMENT, "expected batches/ID, got " + name, null);
    }
    byte[] answer = http.send(http.request("v1beta/" + name).GET().build(), "get " + name);
    try {
      return JSON.readTree(answer);
    } catch (IOException e) {
      throw GeminiErrors.of(Code.INTERNAL, "the answer to get " + name + " is not JSON", e);
    }
  }

  private static BatchPredictionJob fromSdk(BatchJob job) {
    BatchPredictionJob.Builder out =
        BatchPredictionJob.newBuilder()
            .setName(job.name().orElse(""))
            .setDisplayName(job.displayName().orElse(""))
            .setState(GeminiBatchJson.state(job.state().map(s -> s.toString()).orElse(null)));
    job.createTime().map(GeminiBatchJson::timestamp).ifPresent(out::setCreateTime);
    job.updateTime().map(GeminiBatchJson::timestamp).ifPresent(out::setUpdateTime);
    return out.build();
  }

  static String geminiObject(String stagedObject) {
    return stagedObject.endsWith(".jsonl")
        ? stagedObject.substring(0, stagedObject.length() - ".jsonl".length()) + ".gemini.jsonl"
        : stagedObject + ".gemini";
  }

  private static BlobId blobId(String uri) {
    if (!uri.startsWith("gs://") || uri.indexOf('/', 5) < 0) {
      throw new IllegalArgumentException("expected gs://BUCKET/OBJECT, got " + uri);
    }
    int slash = uri.indexOf('/', 5);
    return BlobId.of(uri.substring(5, slash), uri.substring(slash + 1));
  }
}
