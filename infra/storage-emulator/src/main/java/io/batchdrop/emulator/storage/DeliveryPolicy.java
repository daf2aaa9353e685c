package io.batchdrop.emulator.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How finalize events are delivered and retried, as Eventarc does for a trigger with {@code
 * RETRY_POLICY_RETRY} (its Pub/Sub push subscription): one POST may take {@code deadline} before it
 * counts as failed, a failed event is sent again after {@code minimumBackoff} doubling up to {@code
 * maximumBackoff}, and an event not delivered {@code retention} after the upload is dropped.
 *
 * @param deadline how long one delivery may take: the receiving function's own timeout
 * @param minimumBackoff the wait before the first redelivery
 * @param maximumBackoff the longest wait between deliveries
 * @param retention how long after the upload an event is still delivered
 */
public record DeliveryPolicy(
    Duration deadline, Duration minimumBackoff, Duration maximumBackoff, Duration retention) {

  /**
   * Eventarc's: submit's 540 s timeout ({@code terraform/functions.tf}, the most an event-driven
   * function gets), backoff 10 s doubling to 600 s, retried for 24 h.
   */
  public static final DeliveryPolicy EVENTARC =
      new DeliveryPolicy(
          Duration.ofSeconds(540),
          Duration.ofSeconds(10),
          Duration.ofSeconds(600),
          Duration.ofHours(24));

  public DeliveryPolicy {
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(minimumBackoff, "minimumBackoff");
    Objects.requireNonNull(maximumBackoff, "maximumBackoff");
    Objects.requireNonNull(retention, "retention");
    if (!positive(deadline) || !positive(retention)) {
      throw new IllegalArgumentException(
          "expected a positive deadline and retention, got " + deadline + " and " + retention);
    }
    if (!positive(minimumBackoff) || maximumBackoff.compareTo(minimumBackoff) < 0) {
      throw new IllegalArgumentException(
          "expected 0 < minimumBackoff <= maximumBackoff, got "
              + minimumBackoff
              + " and "
              + maximumBackoff);
    }
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  /** The same policy with another per-delivery deadline (another function's timeout). */
  public DeliveryPolicy withDeadline(Duration otherDeadline) {
    return new DeliveryPolicy(otherDeadline, minimumBackoff, maximumBackoff, retention);
  }

  /** The backoff after failed delivery {@code attempt}: min × 2^(attempt−1), capped at max. */
  public Duration backoffAfter(int attempt) {
    Duration backoff = minimumBackoff;
    for (int i = 1; i < attempt && backoff.compareTo(maximumBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maximumBackoff) > 0 ? maximumBackoff : backoff;
  }

  /**
   * When to deliver again after failed delivery {@code attempt}, {@code sinceUpload} after the
   * upload: after the backoff, or never when that falls past the retention.
   */
  public Optional<Duration> retryAfter(int attempt, Duration sinceUpload) {
    Duration backoff = backoffAfter(attempt);
    return sinceUpload.plus(backoff).compareTo(retention) > 0
        ? Optional.empty()
        : Optional.of(backoff);
  }
}
