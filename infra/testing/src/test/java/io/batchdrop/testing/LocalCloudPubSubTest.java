package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectName;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class LocalCloudPubSubTest {

  private LocalCloud cloudInSetUp;

  @BeforeEach
  void createTopicAndSubscription(LocalCloud cloud) {
    cloudInSetUp = cloud;
    cloud.createTopic("results");
    cloud.createSubscription("results", "results-sub");
  }

  @Test
  void publishedMessagesArePulledWithTheirAttributes(LocalCloud cloud) throws Exception {
    Publisher publisher = cloud.publisher("results");
    for (int row = 1; row <= 3; row++) {
      publisher
          .publish(
              PubsubMessage.newBuilder()
                  .setData(ByteString.copyFromUtf8("row " + row))
                  .putAttributes("row", Integer.toString(row))
                  .build())
          .get();
    }

    List<PubsubMessage> received = cloud.pull("results-sub", 3, Duration.ofSeconds(30));

    assertThat(received)
        .extracting(message -> message.getData().toStringUtf8())
        .containsExactlyInAnyOrder("row 1", "row 2", "row 3");
    assertThat(received)
        .extracting(message -> message.getAttributesOrThrow("row"))
        .containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void aPulledMessagePubSubWouldHaveRefusedFailsTheTest(LocalCloud cloud) throws Exception {
    // 342 characters, 1,026 bytes: the emulator takes it, Pub/Sub refuses a value over 1,024.
    cloud
        .publisher("results")
        .publish(
            PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8("row 1"))
                .putAttributes("key", "日".repeat(342))
                .build())
        .get();

    assertThatThrownBy(() -> cloud.pull("results-sub", 1, Duration.ofSeconds(30)))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            "Pub/Sub would have refused a message that reached results-sub: attribute key with a"
                + " 3-byte key and a 1026-byte value (limits 256 and 1,024)");
  }

  @Test
  void pullReturnsWhatArrivedWhenTheTimeoutPasses(LocalCloud cloud) {
    assertThat(cloud.pull("results-sub", 1, Duration.ofMillis(500))).isEmpty();
  }

  @Test
  void whatWasPublishedSoFarIncludesAMessageLeasedToAPullWhoseAnswerWasLost(LocalCloud cloud)
      throws Exception {
    publish(cloud, "row 1");
    // The emulator leased the message to a pull whose answer never reached its caller (the call
    // timed out as the answer came): it comes back only after its 10 s ack deadline, after any
    // marker published now.
    String subscription = ProjectSubscriptionName.format(cloud.projectId(), "results-sub");
    assertThat(cloud.subscriptionAdmin().pull(subscription, 10).getReceivedMessagesCount())
        .isEqualTo(1);
    // A pull of ours that ends by its deadline, as that one did: 1 ms, which no answer beats (with
    // a longer one a loaded emulator may answer "nothing" at the deadline itself, and then no
    // lease can have been lost).
    assertThat(cloud.pull("results-sub", 1, Duration.ofMillis(1))).as("a pull timed out").isEmpty();

    List<PubsubMessage> soFar =
        cloud.pullPublishedSoFar("results", "results-sub", Duration.ofSeconds(30));

    assertThat(soFar).extracting(m -> m.getData().toStringUtf8()).containsExactly("row 1");
  }

  @Test
  void whatWasPublishedSoFarIsEveryMessageBeforeTheMarkerInWhateverOrderTheyCome(LocalCloud cloud)
      throws Exception {
    for (int row = 1; row <= 50; row++) {
      publish(cloud, "row " + row);
    }

    List<PubsubMessage> soFar =
        cloud.pullPublishedSoFar("results", "results-sub", Duration.ofSeconds(30));

    assertThat(soFar).hasSize(50);
    assertThat(cloud.pullPublishedSoFar("results", "results-sub", Duration.ofSeconds(30)))
        .isEmpty();
  }

  private static void publish(LocalCloud cloud, String data) throws Exception {
    cloud
        .publisher("results")
        .publish(PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build())
        .get();
  }

  @Test
  void theSetUpSeesTheSameCloudAndItsTopicSurvivesTheReset(LocalCloud cloud) {
    assertThat(cloudInSetUp).isSameAs(cloud);
    assertThat(cloud.topicAdmin().getTopic("projects/" + cloud.projectId() + "/topics/results"))
        .isNotNull();
  }

  @Test
  void resetDeletesTopicsAndSubscriptions(LocalCloud cloud) {
    cloud.reset();

    ProjectName project = ProjectName.of(cloud.projectId());
    assertThat(cloud.topicAdmin().listTopics(project).iterateAll()).isEmpty();
    assertThat(cloud.subscriptionAdmin().listSubscriptions(project).iterateAll()).isEmpty();
  }
}
