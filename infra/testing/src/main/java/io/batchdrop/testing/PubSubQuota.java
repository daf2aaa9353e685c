package io.batchdrop.testing;

import com.google.pubsub.v1.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The limits the real Pub/Sub enforces and its emulator does not: a message over 10 MB, more than
 * 100 attributes, an attribute key over 256 bytes or value over 1,024 bytes (UTF-8). Every message
 * a test pulls is checked, so a test fails where production would have been refused. Written apart
 * from the production code's own check on purpose: the harness mirrors the service, not us.
 */
final class PubSubQuota {
  private PubSubQuota() {}

  static void check(String subscription, PubsubMessage message) {
    String problem = null;
    if (message.getSerializedSize() > 10_000_000) {
      problem = "a message of " + message.getSerializedSize() + " bytes (the limit is 10 MB)";
    } else if (message.getAttributesCount() > 100) {
      problem = message.getAttributesCount() + " attributes (the limit is 100)";
    } else {
      for (Map.Entry<String, String> attribute : message.getAttributesMap().entrySet()) {
        int key = attribute.getKey().getBytes(StandardCharsets.UTF_8).length;
        int value = attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
        if (key > 256 || value > 1024) {
          problem =
              "attribute "
                  + attribute.getKey().substring(0, Math.min(40, attribute.getKey().length()))
                  + " with a "
                  + key
                  + "-byte key and a "
                  + value
                  + "-byte value (limits 256 and 1,024)";
          break;
        }
      }
    }
    if (problem != null) {
      throw new AssertionError(
          "Pub/Sub would have refused a message that reached " + subscription + ": " + problem);
    }
  }
}
