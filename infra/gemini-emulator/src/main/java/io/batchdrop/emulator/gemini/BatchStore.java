package io.batchdrop.emulator.gemini;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The batches, moved PENDING → RUNNING → terminal by the clock, lazily: a batch is brought up to
 * date whenever it is read. No timer thread, so a test that moves its clock sees the next state at
 * once, and with zero delays a batch is finished when its create returns.
 */
final class BatchStore {

  private final Clock clock;
  private final FileStore files;
  private final BatchRunner runner;
  private final Map<String, StoredBatch> batches = new LinkedHashMap<>();
  private int created;

  BatchStore(Clock clock, FileStore files, BatchRunner runner) {
    this.clock = clock;
    this.files = files;
    this.runner = runner;
  }

  synchronized StoredBatch create(
      BatchKind kind, String model, String displayName, String inputFile, BatchPlan plan) {
    StoredFile input =
        files
            .get(fileId(inputFile))
            .orElseThrow(() -> ApiError.invalid("Input file " + inputFile + " was not found."));
    if (files.state(input.id()).equals("PROCESSING")) {
      throw ApiError.failedPrecondition(
          "The File " + input.id() + " is not in an ACTIVE state and usage is not allowed.");
    }
    long requests = runner.validate(input);
    Instant now = clock.instant();
    StoredBatch batch =
        new StoredBatch(
            Ids.batch(),
            kind,
            model,
            displayName,
            inputFile,
            input,
            plan,
            BatchState.BATCH_STATE_PENDING,
            now,
            now,
            Optional.empty(),
            requests,
            0,
            0,
            Optional.empty(),
            Optional.empty());
    batches.put(batch.id(), batch);
    created++;
    return refresh(batch);
  }

  synchronized Optional<StoredBatch> get(String id) {
    return Optional.ofNullable(batches.get(id)).map(this::refresh);
  }

  /** Newest first. */
  synchronized List<StoredBatch> list() {
    List<StoredBatch> all = new ArrayList<>();
    for (StoredBatch batch : batches.values()) {
      all.add(refresh(batch));
    }
    Collections.reverse(all);
    return all;
  }

  synchronized void cancel(String id) {
    StoredBatch batch = get(id).orElseThrow(ApiError::notFound);
    if (batch.state().isTerminal()) {
      throw ApiError.failedPrecondition(
          "Batch " + batch.name() + " is in state " + batch.state() + " and cannot be cancelled.");
    }
    store(
        batch.ended(
            BatchState.BATCH_STATE_CANCELLED,
            clock.instant(),
            0,
            0,
            Optional.empty(),
            Optional.empty()));
  }

  synchronized void delete(String id) {
    if (batches.remove(id) == null) {
      throw ApiError.notFound();
    }
  }

  /** Batches created since the last {@link #clear()}, deleted ones included. */
  synchronized int created() {
    return created;
  }

  synchronized void clear() {
    batches.clear();
    created = 0;
  }

  private StoredBatch refresh(StoredBatch batch) {
    if (batch.state().isTerminal()) {
      return batch;
    }
    Instant now = clock.instant();
    BatchPlan plan = batch.plan();
    Instant expires =
        plan.ending() == BatchState.BATCH_STATE_EXPIRED ? batch.runsAt() : batch.expiresAt();
    if (!expires.isAfter(batch.finishesAt()) && !now.isBefore(expires)) {
      return store(
          batch.ended(
              BatchState.BATCH_STATE_EXPIRED, expires, 0, 0, Optional.empty(), Optional.empty()));
    }
    if (!now.isBefore(batch.finishesAt())) {
      return store(finish(batch));
    }
    if (!now.isBefore(batch.runsAt()) && batch.state() == BatchState.BATCH_STATE_PENDING) {
      return store(batch.withState(BatchState.BATCH_STATE_RUNNING, batch.runsAt()));
    }
    return batch;
  }

  private StoredBatch finish(StoredBatch batch) {
    Instant end = batch.finishesAt();
    return switch (batch.plan().ending()) {
      case BATCH_STATE_FAILED ->
          batch.ended(
              BatchState.BATCH_STATE_FAILED,
              end,
              0,
              0,
              Optional.empty(),
              Optional.of("An internal error has occurred."));
      case BATCH_STATE_CANCELLED ->
          batch.ended(
              BatchState.BATCH_STATE_CANCELLED, end, 0, 0, Optional.empty(), Optional.empty());
      default -> {
        BatchRunner.Result result =
            runner.run(batch.input(), batch.kind(), modelId(batch.model()), batch.isFirstAttempt());
        StoredFile responses =
            files.addGenerated("batch-" + batch.id(), "application/jsonl", result.output());
        yield batch.ended(
            BatchState.BATCH_STATE_SUCCEEDED,
            end,
            result.succeeded(),
            result.failed(),
            Optional.of(responses.name()),
            Optional.empty());
      }
    };
  }

  private StoredBatch store(StoredBatch batch) {
    batches.put(batch.id(), batch);
    return batch;
  }

  static String fileId(String fileName) {
    return fileName.startsWith("files/") ? fileName.substring("files/".length()) : fileName;
  }

  private static String modelId(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }
}
