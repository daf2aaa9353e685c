package io.batchdrop.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/**
 * The CloudEvent Eventarc delivers to a Cloud Run function for a Pub/Sub message: type {@code
 * google.cloud.pubsub.topic.v1.messagePublished}, id the message id, time its publish time, data
 * {@code MessagePublishedData} as JSON. Like the real deliveries (google-cloudevents testdata
 * {@code MessagePublishedData-duplicatedFields.json}), the message carries an {@code @type} and
 * snake_case duplicates of its id and publish time, so a function parsing strictly fails here as it
 * would in production. Over HTTP it goes as {@link EventarcDelivery#of}.
 */
public final class MessagePublishedEvent {

  public static final String TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The project of {@link #published}'s topic and subscription. */
  private static final String PROJECT = "p";

  private MessagePublishedEvent() {}

  /**
   * The event of a message as a subscription received it (its id and publish time set by Pub/Sub).
   *
   * @param topic {@code projects/P/topics/T}
   * @param subscription {@code projects/P/subscriptions/S}
   * @param deliveryAttempt 1 for the first delivery; production sets it because publish's trigger
   *     subscription has a dead-letter policy
   */
  public static CloudEvent of(
      PubsubMessage message, String topic, String subscription, int deliveryAttempt) {
    Instant time =
        Instant.ofEpochSecond(
            message.getPublishTime().getSeconds(), message.getPublishTime().getNanos());
    String publishTime = time.toString();
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
    return CloudEventBuilder.v1()
        .withId(message.getMessageId())
        .withType(TYPE)
        .withSource(URI.create("//pubsub.googleapis.com/" + topic))
        .withTime(time.atOffset(ZoneOffset.UTC))
        .withData("application/json", data.toString().getBytes(StandardCharsets.UTF_8))
        .build();
  }

  /**
   * The first delivery of a message a test made (such as {@code HandOffMessage.encode()}), as if
   * Pub/Sub had just published it on topic {@code topicId} under a new message id, to the
   * subscription of an Eventarc trigger on that topic ({@code eventarc-<topicId>}; the functions
   * read neither name).
   */
  public static CloudEvent published(PubsubMessage message, String topicId) {
    Instant now = Instant.now();
    PubsubMessage published =
        message.toBuilder()
            .setMessageId(UUID.randomUUID().toString())
            .setPublishTime(
                Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .build();
    return of(
        published,
        "projects/" + PROJECT + "/topics/" + topicId,
        "projects/" + PROJECT + "/subscriptions/eventarc-" + topicId,
        1);
  }
}
