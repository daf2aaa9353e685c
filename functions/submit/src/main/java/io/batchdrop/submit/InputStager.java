package io.batchdrop.submit;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenEstimator;
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

/**
 * Reads the upload once, as a stream pinned to its generation, and validates and stages it in the
 * same pass: shards and {@code invalid.jsonl} go straight to the work bucket.
 */
final class InputStager {
  private final Storage storage;
  private final WorkLayout layout;
  private final ValidatorConfig validation;
  private final BatchdropConfig.Limits configured;
  private final PriceTable prices;

  InputStager(Storage storage, BatchdropConfig config, PriceTable prices) {
    this.prices = prices;
    this.storage = storage;
    this.layout = new WorkLayout(config.workBucket());
    this.validation =
        ValidatorConfig.defaults()
            .withMaxLineBytes(config.limits().maxLineBytes())
            .withAllowedFileBuckets(new java.util.LinkedHashSet<>(config.allowedFileBuckets()));
    this.configured = config.limits();
  }

  /**
   * Validates with the rules of the file's backend and model, and cuts shards within both the
   * deployment's limits and the backend's own (Vertex 1 GB per input file, the Gemini API 2 GB).
   */
  StagingOutcome stage(UploadedObject object, RunId runId, FileSettings settings)
      throws IOException {
    Backend backend = Backend.parse(settings.backend());
    RequestValidator validator =
        new RequestValidator(validation.withBackend(backend).withModel(settings.model()));
    StagingLimits limits =
        new StagingLimits(
            Math.min(configured.maxRowsPerJob(), backend.maxJobRows()),
            Math.min(configured.maxBytesPerJob(), backend.maxJobBytes()));
    StagingWriter writer = new StagingWriter(new GcsStagingOutput(storage, layout, runId), limits);
    ValidationReport report;
    BlobId source = BlobId.of(object.bucket(), object.name(), object.generation());
    // The estimate rides the same pass: no second read of the upload.
    TokenEstimator estimator = new TokenEstimator(prices, settings.model());
    try (InputStream in = Channels.newInputStream(storage.reader(source))) {
      report = validator.validate(in, LineListener.both(writer, estimator));
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
