package io.batchdrop.testing;

import com.google.pubsub.v1.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The limits the real Pub/Sub enforces and its emulator does not (reference gcp-serverless.md §4.2
 * and §7: a 10 MB + 10-byte publish and a 101-attribute publish were accepted): a message over 10
 * MB, more than 100 attributes, an attribute key over 256 bytes or value over 1,024 bytes (UTF-8),
 * an ordering key over 1,024 bytes (the reference marks the key and ordering key limits
 * UNCONFIRMED), and a message with neither data nor attributes. Every message a test pulls and
 * every message {@link PubSubBridge} would hand to a function is checked, so a test fails where
 * production would have been refused. Written apart from the production code's own check on
 * purpose: the harness mirrors the service, not us.
 */
final class PubSubQuota {
  static final int MAX_MESSAGE_BYTES = 10_000_000;
  static final int MAX_ATTRIBUTES = 100;
  static final int MAX_ATTRIBUTE_KEY_BYTES = 256;
  static final int MAX_ATTRIBUTE_VALUE_BYTES = 1024;
  static final int MAX_ORDERING_KEY_BYTES = 1024;

  private PubSubQuota() {}

  static void check(String subscription, PubsubMessage message) {
    Optional<String> problem = problem(message);
    if (problem.isPresent()) {
      throw new AssertionError(refusal(subscription, problem.get()));
    }
  }

  /** What a test or the bridge says about a message Pub/Sub would have refused. */
  static String refusal(String subscription, String problem) {
    return "Pub/Sub would have refused a message that reached " + subscription + ": " + problem;
  }

  /** The first limit {@code message} breaks, if any. */
  static Optional<String> problem(PubsubMessage message) {
    if (message.getSerializedSize() > MAX_MESSAGE_BYTES) {
      return Optional.of(
          "a message of " + message.getSerializedSize() + " bytes (the limit is 10 MB)");
    }
    if (message.getAttributesCount() > MAX_ATTRIBUTES) {
      return Optional.of(message.getAttributesCount() + " attributes (the limit is 100)");
    }
    if (message.getData().isEmpty() && message.getAttributesCount() == 0) {
      return Optional.of("a message with neither data nor attributes");
    }
    for (Map.Entry<String, String> attribute : message.getAttributesMap().entrySet()) {
      int key = utf8(attribute.getKey());
      int value = utf8(attribute.getValue());
      if (key > MAX_ATTRIBUTE_KEY_BYTES || value > MAX_ATTRIBUTE_VALUE_BYTES) {
        return Optional.of(
            "attribute "
                + attribute.getKey().substring(0, Math.min(40, attribute.getKey().length()))
                + " with a "
                + key
                + "-byte key and a "
                + value
                + "-byte value (limits 256 and 1,024)");
      }
    }
    int orderingKey = utf8(message.getOrderingKey());
    if (orderingKey > MAX_ORDERING_KEY_BYTES) {
      return Optional.of("an ordering key of " + orderingKey + " bytes (the limit is 1,024)");
    }
    return Optional.empty();
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
