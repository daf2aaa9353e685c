package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.CompletionStats;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.rpc.Code;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a job's rows: checks its buckets, imports the input (a first streaming pass, which can fail
 * the whole job like Vertex's importer), then predicts every row and writes the output directory (a
 * second streaming pass).
 */
final class BatchRunner {

  private static final String IMPORT_FAILED =
      "Failed to import data. Please check 'Prepare input' section in the doc. ";

  private final Storage storage;
  private final ObjectMapper mapper;
  private final Clock clock;
  private final JobLimits limits;

  BatchRunner(Storage storage, ObjectMapper mapper, Clock clock, JobLimits limits) {
    this.storage = storage;
    this.mapper = mapper;
    this.clock = clock;
    this.limits = limits;
  }

  RunResult run(BatchPredictionJob job, JobPlan plan, long seed) {
    GcsUri prefix = GcsUri.parse(job.getOutputConfig().getGcsDestination().getOutputUriPrefix());
    try {
      for (String uri : job.getInputConfig().getGcsSource().getUrisList()) {
        requireBucket(GcsUri.parse(uri).bucket());
      }
      requireBucket(prefix.bucket());
      InputFiles input =
          InputFiles.resolve(storage, job.getInputConfig().getGcsSource().getUrisList());
      if (input.bytes() > limits.maxInputBytes()) {
        throw new InputFiles.ImportFailure(
            "The input is "
                + input.bytes()
                + " bytes; a batch prediction job reads at most "
                + limits.maxInputBytes()
                + " bytes.");
      }
      long rows = importRows(input, plan);
      long rowsToRun = plan.writesNoRows() ? 0 : plan.writesHalfOfRows() ? (rows + 1) / 2 : rows;
      if (rowsToRun == 0 && rows > 0) {
        return RunResult.completed(stats(0, 0, rows), Optional.empty());
      }
      GcsUri directory = prefix.child("prediction-model-" + Times.directorySuffix(clock.instant()));
      CompletionStats stats = predict(input, directory, job, plan, seed, rowsToRun, rows);
      return RunResult.completed(stats, Optional.of(directory.toString()));
    } catch (MissingBucket e) {
      return RunResult.failed(
          Code.FAILED_PRECONDITION,
          "Failed to get GCS bucket location for "
              + e.getMessage()
              + ". Please make sure the bucket exists and the Vertex AI service agent can access it.");
    } catch (InputFiles.ImportFailure e) {
      return RunResult.failed(Code.INVALID_ARGUMENT, IMPORT_FAILED + e.getMessage());
    } catch (IOException | UncheckedIOException | StorageException e) {
      return RunResult.failed(Code.INTERNAL, "System error. Please try this operation again.");
    }
  }

  /** The importer's pass: counts rows and rejects the file as a whole where Vertex would. */
  private long importRows(InputFiles input, JobPlan plan) throws IOException {
    AtomicLong rows = new AtomicLong();
    input.forEachLine(
        line -> {
          long row = rows.incrementAndGet();
          if (row > limits.maxRequests()) {
            throw new InputFiles.ImportFailure(
                "The input has more than "
                    + limits.maxRequests()
                    + " requests, the most one batch prediction job takes.");
          }
          JsonNode node = parse(line);
          if (node == null || !node.isObject()) {
            if (plan.invalidJsonFailsJob()) {
              throw new InputFiles.ImportFailure("Line " + row + " is not a valid JSON object.");
            }
          } else if (node.path("request").isObject()
              && RowMarker.in(node.get("request")).contains(RowMarker.IMPORT_ERROR)) {
            throw new InputFiles.ImportFailure("Line " + row + " was rejected by the importer.");
          }
        });
    return rows.get();
  }

  private CompletionStats predict(
      InputFiles input,
      GcsUri directory,
      BatchPredictionJob job,
      JobPlan plan,
      long seed,
      long rowsToRun,
      long rows)
      throws IOException {
    RowPredictor predictor =
        new RowPredictor(
            mapper,
            ModelCatalog.modelId(job.getModel()),
            Attempts.isFirst(job),
            plan.hugeResponseChars());
    AtomicLong seen = new AtomicLong();
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    try (PredictionFiles files =
        new PredictionFiles(storage, mapper, directory, plan.outputFiles())) {
      RowShuffler<JsonNode> shuffler = new RowShuffler<>(seed, files::write);
      input.forEachLine(
          line -> {
            if (seen.incrementAndGet() > rowsToRun) {
              return;
            }
            RowOutcome outcome = predictor.predict(line, clock.instant());
            switch (outcome.kind()) {
              case SUCCEEDED -> succeeded.incrementAndGet();
              case FAILED -> failed.incrementAndGet();
              case MISSING -> {}
            }
            outcome.row().ifPresent(shuffler::add);
          });
      shuffler.flush();
    }
    return stats(succeeded.get(), failed.get(), rows - succeeded.get() - failed.get());
  }

  private void requireBucket(String bucket) {
    if (storage.get(bucket) == null) {
      throw new MissingBucket(bucket);
    }
  }

  private JsonNode parse(String line) {
    try {
      return mapper.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static CompletionStats stats(long succeeded, long failed, long incomplete) {
    return CompletionStats.newBuilder()
        .setSuccessfulCount(succeeded)
        .setFailedCount(failed)
        .setIncompleteCount(incomplete)
        .build();
  }

  private static final class MissingBucket extends RuntimeException {
    MissingBucket(String bucket) {
      super(bucket);
    }
  }
}
