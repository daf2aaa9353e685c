package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.events.cloud.pubsub.v1.MessagePublishedData;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.google.pubsub.v1.PubsubMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completions-topic messages reach a function on the real invoker as Eventarc delivers them. */
@LocalCloudTest
class PubSubBridgeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final BlockingQueue<PubSubBridge.Delivery> deliveries = new LinkedBlockingQueue<>();
  private final Closer started = new Closer();
  private Path recording;

  @BeforeEach
  void createTheTopic(LocalCloud cloud, @TempDir Path dir) {
    cloud.createTopic("completions");
    recording = dir.resolve("received.jsonl");
  }

  @AfterEach
  void stopWhatWasStarted() {
    started.close();
  }

  @Test
  void aPublishedMessageArrivesAsTheCloudEventEventarcDelivers(LocalCloud cloud) throws Exception {
    bridgeTo(cloud, startRecordingFunction().uri());

    String messageId =
        publish(
            cloud, "{\"jobId\":\"r1-s1-a1\"}".getBytes(StandardCharsets.UTF_8), Map.of("k", "v"));

    PubSubBridge.Delivery delivery = nextDelivery();
    assertThat(delivery.status()).isEqualTo(200);
    assertThat(delivery.acknowledged()).isTrue();
    JsonNode received = recorded().get(0);
    assertThat(received.path("type").asText())
        .isEqualTo("google.cloud.pubsub.topic.v1.messagePublished");
    assertThat(received.path("source").asText())
        .isEqualTo("//pubsub.googleapis.com/projects/" + cloud.projectId() + "/topics/completions");
    assertThat(received.path("id").asText()).isEqualTo(messageId);
    assertThat(received.path("messageId").asText()).isEqualTo(messageId);
    assertThat(decoded(received)).isEqualTo("{\"jobId\":\"r1-s1-a1\"}");
    assertThat(received.path("attributes").path("k").asText()).isEqualTo("v");
    assertThat(received.path("subscription").asText())
        .isEqualTo("projects/" + cloud.projectId() + "/subscriptions/completions-publish");
    assertThat(received.path("deliveryAttempt").asInt()).isEqualTo(1);
    // The event time is the publish time, as Eventarc sets it.
    assertThat(received.path("time").asText()).startsWith(received.path("publishTime").asText(""));
  }

  @Test
  void binaryDataWithoutAttributesArrivesByteForByte(LocalCloud cloud) throws Exception {
    bridgeTo(cloud, startRecordingFunction().uri());
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }

    publish(cloud, bytes, Map.of());

    assertThat(nextDelivery().acknowledged()).isTrue();
    JsonNode received = recorded().get(0);
    assertThat(Base64.getDecoder().decode(received.path("dataBase64").asText())).isEqualTo(bytes);
    assertThat(received.path("attributes").isEmpty()).isTrue();
  }

  @Test
  void aFailingAnswerIsNackedAndTheMessageRedeliveredUntilItSucceeds(LocalCloud cloud)
      throws Exception {
    bridgeTo(cloud, startRecordingFunction().uri());

    String messageId = publish(cloud, "hand-off".getBytes(StandardCharsets.UTF_8), failOnce());

    PubSubBridge.Delivery first = nextDelivery();
    assertThat(first.status()).isEqualTo(500);
    assertThat(first.acknowledged()).isFalse();
    PubSubBridge.Delivery second = nextDelivery();
    assertThat(second.messageId()).isEqualTo(messageId);
    assertThat(second.attempt()).isEqualTo(2);
    assertThat(second.acknowledged()).isTrue();
    assertThat(recorded())
        .extracting(line -> line.path("id").asText() + "#" + line.path("deliveryAttempt").asInt())
        .containsExactly(messageId + "#1", messageId + "#2");
  }

  @Test
  void aMessagePubSubWouldHaveRefusedIsNotDeliveredAndTheRefusalIsReported(LocalCloud cloud)
      throws Exception {
    bridgeTo(cloud, startRecordingFunction().uri());

    String refused =
        publish(cloud, "hand-off".getBytes(StandardCharsets.UTF_8), Map.of("k", "v".repeat(1025)));
    String next = publish(cloud, "next".getBytes(StandardCharsets.UTF_8), Map.of());

    List<PubSubBridge.Delivery> seen = List.of(nextDelivery(), nextDelivery());
    PubSubBridge.Delivery refusal =
        seen.stream().filter(d -> d.messageId().equals(refused)).findFirst().orElseThrow();
    assertThat(refusal.status()).isZero();
    assertThat(refusal.acknowledged()).isFalse();
    assertThat(refusal.error())
        .isEqualTo(
            "Pub/Sub would have refused a message that reached projects/"
                + cloud.projectId()
                + "/subscriptions/completions-publish: attribute k with a 1-byte key and a"
                + " 1025-byte value (limits 256 and 1,024)");
    assertThat(recorded()).extracting(line -> line.path("id").asText()).containsExactly(next);
  }

  @Test
  void aHandOffThatAlwaysFailsEndsOnTheDeadLetterTopicAfterExactlyTheMaximumDeliveries(
      LocalCloud cloud) throws Exception {
    cloud.createTopic("dead-letter");
    cloud.createSubscription("dead-letter", "dead-letter-sub");
    started.register(
        PubSubBridge.start(
            cloud,
            "completions",
            "completions-publish",
            startRecordingFunction().uri(),
            PubSubBridge.Settings.FAST,
            new PubSubBridge.DeadLetter("dead-letter", 5),
            deliveries::add));

    String messageId =
        publish(
            cloud,
            "hand-off".getBytes(StandardCharsets.UTF_8),
            Map.of("answer", "fail-always", "job", "j1"));

    // The policy's five; a sixth would come before the next message, checked below. A failed
    // delivery is nacked before it is reported, so the next one may be reported first.
    List<PubSubBridge.Delivery> seen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      seen.add(nextDelivery());
    }
    assertThat(seen)
        .extracting(
            d ->
                d.messageId()
                    + "#"
                    + d.attempt()
                    + ":"
                    + d.status()
                    + (d.deadLettered() ? " dead-lettered" : ""))
        .containsExactlyInAnyOrder(
            messageId + "#1:500",
            messageId + "#2:500",
            messageId + "#3:500",
            messageId + "#4:500",
            messageId + "#5:500 dead-lettered");
    List<PubsubMessage> dead = cloud.pull("dead-letter-sub", 1, WAIT);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getData().toStringUtf8()).isEqualTo("hand-off");
    assertThat(dead.get(0).getAttributesMap())
        .containsEntry("job", "j1")
        .containsEntry("answer", "fail-always")
        .containsEntry(PubSubBridge.DEAD_LETTER_DELIVERY_COUNT, "5")
        .containsEntry(PubSubBridge.DEAD_LETTER_SUBSCRIPTION, "completions-publish")
        .containsEntry(PubSubBridge.DEAD_LETTER_SUBSCRIPTION_PROJECT, cloud.projectId())
        .containsKey(PubSubBridge.DEAD_LETTER_PUBLISH_TIME);
    // Acknowledged once dead-lettered: a later message is the next thing the function gets.
    String next = publish(cloud, "next".getBytes(StandardCharsets.UTF_8), Map.of());
    PubSubBridge.Delivery after = nextDelivery();
    assertThat(after.messageId()).isEqualTo(next);
    assertThat(after.acknowledged()).isTrue();
  }

  @Test
  void aDeadLetterPolicyOutsidePubSubsLimitsIsRefused() {
    assertThatThrownBy(() -> new PubSubBridge.DeadLetter("dead-letter", 4))
        .hasMessageContaining("from 5 to 100");
  }

  @Test
  void aFunctionThatDoesNotAnswerGetsTheMessageAgain(LocalCloud cloud) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    bridgeTo(cloud, URI.create("http://127.0.0.1:" + closedPort + "/"));

    String messageId = publish(cloud, "hand-off".getBytes(StandardCharsets.UTF_8), Map.of());

    PubSubBridge.Delivery first = nextDelivery();
    assertThat(first.status()).isZero();
    assertThat(first.error()).contains("ConnectException");
    PubSubBridge.Delivery second = nextDelivery();
    assertThat(second.messageId()).isEqualTo(messageId);
    assertThat(second.attempt()).isEqualTo(2);
  }

  @Test
  void theMessageCarriesTheSnakeCaseDuplicatesThatJsonFormatRejects() throws Exception {
    PubsubMessage message =
        PubsubMessage.newBuilder()
            .setMessageId("42")
            .setData(ByteString.copyFromUtf8("x"))
            .setPublishTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_800_000_000))
            .build();

    EventarcDelivery event =
        EventarcDelivery.of(
            MessagePublishedEvent.of(
                message, "projects/p/topics/t", "projects/p/subscriptions/s", 1));

    JsonNode inner = JSON.readTree(event.body()).path("message");
    assertThat(inner.path("message_id").asText()).isEqualTo(inner.path("messageId").asText());
    assertThat(inner.path("publish_time").asText()).isEqualTo("2027-01-15T08:00:00Z");
    assertThat(event.headers())
        .containsEntry("ce-id", "42")
        .containsEntry("ce-time", "2027-01-15T08:00:00Z")
        .containsEntry("ce-specversion", "1.0");
    // What a function must not do with it (real deliveries carry the same duplicates).
    assertThatThrownBy(
            () ->
                JsonFormat.parser()
                    .ignoringUnknownFields()
                    .merge(event.body(), MessagePublishedData.newBuilder()))
        .hasMessageContaining("has already been set");
  }

  @Test
  void eventarcsBackoffDoublesFromTenSecondsUpToTenMinutes() {
    PubSubBridge.Settings eventarc = PubSubBridge.Settings.EVENTARC;

    assertThat(List.of(1, 2, 3, 6, 7, 100))
        .extracting(attempt -> eventarc.backoffAfter(attempt).toSeconds())
        .containsExactly(10L, 20L, 40L, 320L, 600L, 600L);
  }

  private static Map<String, String> failOnce() {
    return Map.of("answer", "fail-once");
  }

  private InvokedFunction startRecordingFunction() throws Exception {
    InvokedFunction function =
        InvokedFunction.start(
            RecordingFunction.class.getName(), Map.of("RECORDING_FILE", recording.toString()));
    return started.register(function);
  }

  private void bridgeTo(LocalCloud cloud, URI target) {
    started.register(
        PubSubBridge.start(
            cloud,
            "completions",
            "completions-publish",
            target,
            PubSubBridge.Settings.FAST,
            deliveries::add));
  }

  private static String publish(LocalCloud cloud, byte[] data, Map<String, String> attributes)
      throws Exception {
    return cloud
        .publisher("completions")
        .publish(
            PubsubMessage.newBuilder()
                .setData(ByteString.copyFrom(data))
                .putAllAttributes(attributes)
                .build())
        .get(30, TimeUnit.SECONDS);
  }

  private PubSubBridge.Delivery nextDelivery() throws InterruptedException {
    PubSubBridge.Delivery delivery = deliveries.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(delivery).as("a delivery within " + WAIT).isNotNull();
    return delivery;
  }

  private List<JsonNode> recorded() throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(recording)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static String decoded(JsonNode received) {
    return new String(
        Base64.getDecoder().decode(received.path("dataBase64").asText()), StandardCharsets.UTF_8);
  }
}
