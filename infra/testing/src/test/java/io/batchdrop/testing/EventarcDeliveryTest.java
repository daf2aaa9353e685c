package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The binary-mode requests tests POST to functions, as Eventarc makes them. */
@LocalCloudTest
class EventarcDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMessageATestMadeIsDeliveredOnceUnderANewIdWithItsDataAndAttributes() throws Exception {
    PubsubMessage handOff =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFromUtf8("{\"jobId\":\"j1\"}"))
            .putAttributes("type", "job.finished")
            .build();

    EventarcDelivery first =
        EventarcDelivery.of(MessagePublishedEvent.published(handOff, "completions"));
    EventarcDelivery second =
        EventarcDelivery.of(MessagePublishedEvent.published(handOff, "completions"));

    JsonNode data = JSON.readTree(first.body());
    assertThat(first.headers())
        .containsEntry("Content-Type", "application/json")
        .containsEntry("ce-type", MessagePublishedEvent.TYPE)
        .containsEntry("ce-source", "//pubsub.googleapis.com/projects/p/topics/completions")
        .containsEntry("ce-id", data.path("message").path("messageId").asText())
        .containsEntry("ce-time", data.path("message").path("publishTime").asText());
    assertThat(first.headers().get("ce-id"))
        .isNotBlank()
        .isNotEqualTo(second.headers().get("ce-id"));
    assertThat(Instant.parse(first.headers().get("ce-time"))).isBeforeOrEqualTo(Instant.now());
    assertThat(data.path("subscription").asText())
        .isEqualTo("projects/p/subscriptions/eventarc-completions");
    assertThat(data.path("deliveryAttempt").asInt()).isEqualTo(1);
    assertThat(data.path("message").path("attributes").path("type").asText())
        .isEqualTo("job.finished");
    assertThat(Base64.getDecoder().decode(data.path("message").path("data").asText()))
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("{\"jobId\":\"j1\"}");
  }

  @Test
  void aFinalizeEventGoesWithItsIdSubjectAndInt64FieldsAsStrings(LocalCloud cloud)
      throws Exception {
    cloud.storage().create(BucketInfo.of("inbox"));
    Blob blob =
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder("inbox", "incoming/a.jsonl")
                    .setContentType("application/jsonl")
                    .build(),
                "{}\n".getBytes(StandardCharsets.UTF_8));

    EventarcDelivery delivery = EventarcDelivery.of(StorageEvents.finalized(blob, "evt-1"));

    assertThat(delivery.headers())
        .containsEntry("Content-Type", "application/json")
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-id", "evt-1")
        .containsEntry("ce-type", StorageEvents.FINALIZED)
        .containsEntry("ce-source", "//storage.googleapis.com/projects/_/buckets/inbox")
        .containsEntry("ce-subject", "objects/incoming/a.jsonl")
        .containsKey("ce-time");
    JsonNode data = JSON.readTree(delivery.body());
    assertThat(data.path("name").asText()).isEqualTo("incoming/a.jsonl");
    assertThat(data.path("generation").isTextual()).as("int64 as a JSON string").isTrue();
    assertThat(data.path("generation").asLong()).isEqualTo(blob.getGeneration());
    assertThat(data.path("size").asText()).isEqualTo("3");
    assertThat(delivery.withBody("{not json").headers()).isEqualTo(delivery.headers());
  }
}
