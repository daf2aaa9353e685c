package io.batchdrop.emulator.gemini;

import java.time.Instant;
import java.util.Optional;

/**
 * A batch as it is at one moment. Immutable; {@link BatchStore} replaces it as it moves on.
 *
 * @param requestCount lines in the input file
 * @param responsesFile the {@code files/batch-…} name once the batch succeeded
 * @param error the google.rpc.Status message of a FAILED batch
 */
record StoredBatch(
    String id,
    BatchKind kind,
    String model,
    String displayName,
    String inputFile,
    StoredFile input,
    BatchPlan plan,
    BatchState state,
    Instant createTime,
    Instant updateTime,
    Optional<Instant> endTime,
    long requestCount,
    long succeeded,
    long failed,
    Optional<String> responsesFile,
    Optional<String> error) {

  String name() {
    return "batches/" + id;
  }

  /** A first attempt in Batchdrop's naming: the display name (the job id) ends in {@code -a1}. */
  boolean isFirstAttempt() {
    return displayName.endsWith("-a1");
  }

  Instant runsAt() {
    return createTime.plus(plan.pendingDelay());
  }

  Instant finishesAt() {
    return runsAt().plus(plan.runningDelay());
  }

  Instant expiresAt() {
    return createTime.plus(plan.expiry());
  }

  StoredBatch withState(BatchState state, Instant at) {
    return moved(state, at, endTime, succeeded, failed, responsesFile, error);
  }

  StoredBatch ended(
      BatchState state,
      Instant at,
      long succeeded,
      long failed,
      Optional<String> responsesFile,
      Optional<String> error) {
    return moved(state, at, Optional.of(at), succeeded, failed, responsesFile, error);
  }

  /** This batch in {@code state} since {@code at}, with the fields a move may set replaced. */
  private StoredBatch moved(
      BatchState state,
      Instant at,
      Optional<Instant> endTime,
      long succeeded,
      long failed,
      Optional<String> responsesFile,
      Optional<String> error) {
    return new StoredBatch(
        id,
        kind,
        model,
        displayName,
        inputFile,
        input,
        plan,
        state,
        createTime,
        at,
        endTime,
        requestCount,
        succeeded,
        failed,
        responsesFile,
        error);
  }
}
