package io.batchdrop.cloud.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;

/**
 * The Pub/Sub message's data out of what Eventarc delivers from a topic (a {@code
 * google.cloud.pubsub.topic.v1.messagePublished} CloudEvent whose data is a {@code
 * MessagePublishedData}), for every function triggered by a topic. Bounded before it is parsed;
 * anything else is {@link MalformedDeliveryException}, which a caller drops (a retry cannot fix
 * it).
 */
public final class PubSubDelivery {
  public static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";
  private static final ObjectMapper JSON = new ObjectMapper();

  private PubSubDelivery() {}

  /**
   * @param type the CloudEvent's type
   * @param body the CloudEvent's data, null when it has none
   * @param maxBytes the largest event data the caller's message can come in
   * @param expectedSize what the caller's message is, for the error ("a hand-off is a few hundred")
   */
  public static byte[] messageData(String type, byte[] body, int maxBytes, String expectedSize)
      throws MalformedDeliveryException {
    if (!TYPE.equals(type)) {
      throw new MalformedDeliveryException(
          "event type is \"" + type + "\"; expected \"" + TYPE + "\"");
    }
    if (body == null) {
      throw new MalformedDeliveryException("the event has no data");
    }
    if (body.length > maxBytes) {
      throw new MalformedDeliveryException(
          "the event data is " + body.length + " bytes; " + expectedSize);
    }
    // Jackson, not JsonFormat: Eventarc's payload carries both messageId and message_id (and
    // publishTime and publish_time), which JsonFormat refuses as a field set twice.
    JsonNode data;
    try {
      data = JSON.readTree(body);
    } catch (IOException e) {
      throw new MalformedDeliveryException("the event data is not JSON");
    }
    JsonNode encoded = data == null ? null : data.path("message").path("data");
    if (encoded == null || !encoded.isTextual()) {
      throw new MalformedDeliveryException(
          "the event data has no message.data; expected a Pub/Sub MessagePublishedData");
    }
    try {
      return Base64.getDecoder().decode(encoded.asText());
    } catch (IllegalArgumentException e) {
      throw new MalformedDeliveryException("message.data is not base64");
    }
  }

  /** A delivery that is not a Pub/Sub message: its message says what was expected. */
  public static final class MalformedDeliveryException extends Exception {
    MalformedDeliveryException(String message) {
      super(message, null, false, false);
    }
  }
}
