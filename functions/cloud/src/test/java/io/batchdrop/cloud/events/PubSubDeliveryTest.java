package io.batchdrop.cloud.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PubSubDeliveryTest {
  private static final String HINT = "a test message is a few bytes";

  private static byte[] delivery(String messageData) {
    // Both spellings of the id and the time, as Eventarc sends them.
    return ("{\"message\": {\"data\": \""
            + messageData
            + "\", \"messageId\": \"1\", \"message_id\": \"1\", \"publishTime\":"
            + " \"2026-12-01T00:00:00Z\", \"publish_time\": \"2026-12-01T00:00:00Z\"},"
            + " \"subscription\": \"projects/p/subscriptions/s\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(String type, byte[] body) throws Exception {
    return PubSubDelivery.messageData(type, body, 1024, HINT);
  }

  @Test
  void theMessageDataOfEventarcsPayloadIsDecodedWithBothSpellingsOfItsFields() throws Exception {
    String encoded = Base64.getEncoder().encodeToString("héllo".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(read(PubSubDelivery.TYPE, delivery(encoded)), StandardCharsets.UTF_8))
        .isEqualTo("héllo");
  }

  @Test
  void anotherEventTypeIsRefusedNamingTheExpectedOne() {
    assertThatThrownBy(() -> read("google.cloud.storage.object.v1.finalized", delivery("")))
        .isInstanceOf(PubSubDelivery.MalformedDeliveryException.class)
        .hasMessage(
            "event type is \"google.cloud.storage.object.v1.finalized\"; expected"
                + " \"google.cloud.pubsub.topic.v1.messagePublished\"");
  }

  @Test
  void anEventWithoutDataIsRefused() {
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, null)).hasMessage("the event has no data");
  }

  @Test
  void dataOverTheCallersBoundIsRefusedUnparsedWithItsSize() {
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, new byte[1025]))
        .hasMessage("the event data is 1025 bytes; " + HINT);
  }

  @Test
  void dataThatIsNotJsonOrHasNoMessageDataOrIsNotBase64IsRefused() {
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, new byte[] {(byte) 0xff, 0x00}))
        .hasMessage("the event data is not JSON");
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, "{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessage("the event data has no message.data; expected a Pub/Sub MessagePublishedData");
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, new byte[0]))
        .hasMessage("the event data has no message.data; expected a Pub/Sub MessagePublishedData");
    assertThatThrownBy(() -> read(PubSubDelivery.TYPE, delivery("not base64!")))
        .hasMessage("message.data is not base64");
  }
}
