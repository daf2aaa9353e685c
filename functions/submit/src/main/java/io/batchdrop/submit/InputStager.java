package io.batchdrop.submit;

import com.google.cloud.ReadChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenEstimator;
import io.batchdrop.staging.BackgroundListener;
import io.batchdrop.staging.ReadAheadInputStream;
import io.batchdrop.staging.RunShardBudget;
import io.batchdrop.staging.StagingLimits;
import io.batchdrop.staging.StagingResult;
import io.batchdrop.staging.StagingWriter;
import io.batchdrop.validation.Backend;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.time.Duration;

/**
 * Reads the upload once, as a stream pinned to its generation, and validates and stages it in the
 * same pass: shards and {@code invalid.jsonl} go straight to the work bucket.
 */
final class InputStager {
  private static final int READ_BUFFERS = 3;
  private static final int READ_BUFFER_BYTES = 4 << 20;

  /**
   * More than the storage client's upload chunk (16 MiB) in all: the staging thread blocks while a
   * chunk goes out, and with three batches (12 MiB) the validator stalled behind every chunk (7.4 s
   * of a 1 GB submit in a JFR profile), although staging itself takes little CPU.
   */
  private static final int STAGE_BATCHES = 6;

  private static final int STAGE_BATCH_BYTES = 4 << 20;

  /**
   * The longest the validating thread and either helper wait for each other; a 4 MiB buffer that
   * takes longer is a stuck download or upload, and the event is redelivered.
   */
  static final Duration STALL = Duration.ofMinutes(2);

  private final Storage storage;
  private final WorkLayout layout;
  private final ValidatorConfig validation;
  private final BatchdropConfig.Submit configured;
  private final PriceTable prices;

  InputStager(Storage storage, BatchdropConfig config, PriceTable prices) {
    this.prices = prices;
    this.storage = storage;
    this.layout = new WorkLayout(config.workBucket());
    this.validation = config.validation();
    this.configured = config.submit();
  }

  /**
   * Validates with the rules of the file's backend and model, and cuts shards within both the
   * deployment's limits and the backend's own (Vertex 1 GB per input file, the Gemini API 2 GB),
   * and at most as many as the run document records: past that it throws a {@link
   * io.batchdrop.staging.ShardLimitException} (possibly as the cause of the staging thread's
   * failure), having read no further.
   */
  StagingOutcome stage(UploadedObject object, RunId runId, FileSettings settings)
      throws IOException {
    Backend backend = Backend.parse(settings.backend());
    RequestValidator validator =
        new RequestValidator(validation.withBackend(backend).withModel(settings.model()));
    StagingLimits limits =
        new StagingLimits(
            Math.min(configured.maxRowsPerJob(), backend.maxJobRows()),
            Math.min(configured.maxBytesPerJob(), backend.maxJobBytes()),
            RunShardBudget.MAX_SHARDS);
    StagingWriter writer = new StagingWriter(new GcsStagingOutput(storage, layout, runId), limits);
    ValidationReport report;
    BlobId source = BlobId.of(object.bucket(), object.name(), object.generation());
    // The estimate rides the same pass: no second read of the upload. It parses each valid line
    // again, so it runs on the staging thread, which splicing left with CPU to spare, rather than
    // on the validating thread, the pipeline's busiest.
    TokenEstimator estimator = new TokenEstimator(prices, settings.model());
    ReadChannel channel = storage.reader(source);
    channel.setChunkSize(READ_BUFFER_BYTES);
    // Three threads overlap: one downloads the upload, this one validates, one stages valid lines
    // (and estimates) and uploads the shards. Each hand-off is a few fixed buffers, so the
    // heap stays flat; a failure on either side thread is thrown here with its cause.
    try (InputStream in =
            new ReadAheadInputStream(
                Channels.newInputStream(channel),
                "submit-read-" + runId.value(),
                READ_BUFFERS,
                READ_BUFFER_BYTES,
                STALL);
        BackgroundListener staging =
            new BackgroundListener(
                LineListener.both(writer, estimator),
                "submit-stage-" + runId.value(),
                STAGE_BATCHES,
                STAGE_BATCH_BYTES,
                STALL)) {
      report = validator.validate(in, staging);
      // Waits for the staging thread: the writer's and the estimator's results are complete.
      staging.finish();
    }
    StagingResult staged = writer.finish();
    return new StagingOutcome(
        report,
        settings.policy().judge(report),
        staged.shards().stream()
            .map(s -> new StagedShard(s.shard(), s.rows(), s.bytes(), s.firstRow(), s.lastRow()))
            .toList(),
        estimator.estimate());
  }
}
