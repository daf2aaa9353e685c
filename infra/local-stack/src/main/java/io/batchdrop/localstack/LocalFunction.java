package io.batchdrop.localstack;

import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.PubSubBridge;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One function of the local deployment, as {@code terraform/functions.tf} declares it: a name, the
 * entry-point class the invoker loads, its {@code timeout_seconds}, and what triggers it.
 */
public record LocalFunction(
    String name, String entryPoint, Duration timeout, LocalFunction.Trigger trigger) {

  /** What calls the function. */
  public sealed interface Trigger {}

  /** Eventarc {@code google.cloud.storage.object.v1.finalized} on a bucket. */
  public record StorageFinalized(String bucket) implements Trigger {
    public StorageFinalized {
      Objects.requireNonNull(bucket, "bucket");
    }
  }

  /**
   * HTTP, POSTed by Cloud Scheduler on a schedule (locally: {@link LocalStack#tick()}); a call not
   * answered within {@code attemptDeadline} counts as failed ({@code terraform/scheduler.tf}).
   */
  public record Scheduled(String jobName, Duration attemptDeadline) implements Trigger {
    /**
     * How much longer than the function's timeout the Scheduler job waits for an answer ({@code
     * attempt_deadline} in {@code terraform/scheduler.tf}), so the platform's own 504 arrives
     * first.
     */
    public static final Duration ATTEMPT_DEADLINE_OVER_TIMEOUT = Duration.ofSeconds(20);

    public Scheduled {
      Objects.requireNonNull(jobName, "jobName");
      requirePositive(attemptDeadline, "attemptDeadline");
    }

    /** The job as {@code terraform/scheduler.tf} deploys it for a function of this timeout. */
    public static Scheduled forTimeout(String jobName, Duration functionTimeout) {
      return new Scheduled(jobName, functionTimeout.plus(ATTEMPT_DEADLINE_OVER_TIMEOUT));
    }
  }

  /**
   * Eventarc {@code google.cloud.pubsub.topic.v1.messagePublished} on a topic, its subscription
   * dead-lettering a message after {@code maxDeliveryAttempts} failed deliveries ({@code
   * terraform/pubsub.tf}).
   */
  public record PubSubPublished(String topic, int maxDeliveryAttempts) implements Trigger {
    public PubSubPublished {
      Objects.requireNonNull(topic, "topic");
      new PubSubBridge.DeadLetter(LocalDeployment.DEAD_LETTER_TOPIC, maxDeliveryAttempts);
    }

    /** Where a message goes after its last failed delivery. */
    public PubSubBridge.DeadLetter deadLetter() {
      return new PubSubBridge.DeadLetter(LocalDeployment.DEAD_LETTER_TOPIC, maxDeliveryAttempts);
    }
  }

  public LocalFunction {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(entryPoint, "entryPoint");
    requirePositive(timeout, "timeout");
    Objects.requireNonNull(trigger, "trigger");
  }

  /**
   * What {@code terraform/functions.tf} adds to this function's environment on top of the shared
   * settings: its own timeout, {@code BATCHDROP_FUNCTION_TIMEOUT_SECONDS}.
   */
  public Map<String, String> environment() {
    return Map.of("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", Long.toString(timeout.toSeconds()));
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
