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

  /** HTTP, POSTed by Cloud Scheduler on a schedule (locally: {@link LocalStack#tick()}). */
  public record Scheduled(String jobName) implements Trigger {
    public Scheduled {
      Objects.requireNonNull(jobName, "jobName");
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
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    Objects.requireNonNull(trigger, "trigger");
  }

  /**
   * What {@code terraform/functions.tf} adds to this function's environment on top of the shared
   * settings: its own timeout, {@code BATCHDROP_FUNCTION_TIMEOUT_SECONDS}.
   */
  public Map<String, String> environment() {
    return Map.of("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", Long.toString(timeout.toSeconds()));
  }
}
