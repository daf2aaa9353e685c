package io.batchdrop.publish;

/**
 * An earlier attempt of the shard has a checkpoint publish cannot read, so which rows it answered
 * is not known: no redelivery fixes that, so the attempt being published is decided once ({@link
 * JobPublisher}).
 */
final class EarlierAttemptUnreadable extends RuntimeException {
  EarlierAttemptUnreadable(String message, Throwable cause) {
    super(message, cause);
  }
}
