package io.batchdrop.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Pub/Sub message as Eventarc delivers it to a Cloud Run function: a binary-mode CloudEvent
 * ({@code ce-*} headers, JSON body) of type {@code google.cloud.pubsub.topic.v1.messagePublished}
 * whose data is {@code MessagePublishedData}. Like the real deliveries (google-cloudevents testdata
 * {@code MessagePublishedData-duplicatedFields.json}), the message carries an {@code @type} and
 * snake_case duplicates of its id and publish time, so a function parsing strictly fails here as it
 * would in production.
 *
 * @param headers the HTTP headers, Content-Type included
 * @param body the JSON body
 */
record MessagePublishedEvent(Map<String, String> headers, String body) {

  static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param topic {@code projects/P/topics/T}
   * @param subscription {@code projects/P/subscriptions/S}
   * @param deliveryAttempt 1 for the first delivery; production sets it because publish's trigger
   *     subscription has a dead-letter policy
   */
  static MessagePublishedEvent of(
      PubsubMessage message, String topic, String subscription, int deliveryAttempt) {
    String publishTime =
        Instant.ofEpochSecond(
                message.getPublishTime().getSeconds(), message.getPublishTime().getNanos())
            .toString();
    ObjectNode data = JSON.createObjectNode();
    ObjectNode inner = data.putObject("message");
    inner.put("@type", "type.googleapis.com/google.pubsub.v1.PubsubMessage");
    if (!message.getAttributesMap().isEmpty()) {
      ObjectNode attributes = inner.putObject("attributes");
      message.getAttributesMap().forEach(attributes::put);
    }
    if (!message.getData().isEmpty()) {
      inner.put("data", Base64.getEncoder().encodeToString(message.getData().toByteArray()));
    }
    inner.put("messageId", message.getMessageId());
    inner.put("message_id", message.getMessageId());
    inner.put("publishTime", publishTime);
    inner.put("publish_time", publishTime);
    if (!message.getOrderingKey().isEmpty()) {
      inner.put("orderingKey", message.getOrderingKey());
    }
    data.put("subscription", subscription);
    data.put("deliveryAttempt", deliveryAttempt);

    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("ce-specversion", "1.0");
    headers.put("ce-id", message.getMessageId());
    headers.put("ce-type", TYPE);
    headers.put("ce-source", "//pubsub.googleapis.com/" + topic);
    headers.put("ce-time", publishTime);
    return new MessagePublishedEvent(Map.copyOf(headers), data.toString());
  }
}
