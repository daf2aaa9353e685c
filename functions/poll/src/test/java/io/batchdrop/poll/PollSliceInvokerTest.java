package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.PubSubBridge;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code poll-slices} as Eventarc reaches it: slice messages on the poll-slices topic, delivered by
 * a {@link PubSubBridge} to the real invoker running the shaded poll jar.
 */
@LocalCloudTest
@Tag("system")
class PollSliceInvokerTest {
  private static final String TARGET = "io.batchdrop.poll.PollSliceFunction";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private final BlockingQueue<PubSubBridge.Delivery> deliveries = new LinkedBlockingQueue<>();
  @Fixture private PollFixture fx;

  @Test
  void aMalformedSliceIsAcknowledgedAndDroppedWithALogAndTheNextSliceIsPolled(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);

    try (InvokedFunction function = InvokedFunction.start(TARGET, fx.environment());
        PubSubBridge bridge = bridge(cloud, function.uri().getPort())) {
      publish(cloud, ByteString.copyFromUtf8("{\"from\":\"../../runs\",\"to\":5}"));
      PubSubBridge.Delivery malformed = next();
      publish(cloud, PollSlice.partition(1, Instant.now()).get(0).encode().getData());
      PubSubBridge.Delivery slice = next();

      assertThat(malformed.acknowledged()).as("dropped: a retry cannot fix it").isTrue();
      assertThat(malformed.attempt()).isEqualTo(1);
      assertThat(function.output()).contains("malformed poll slice dropped");
      assertThat(slice.acknowledged()).isTrue();
      assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_RUNNING");
      assertThat(function.output()).contains("\"message\":\"poll slice finished\"");
    }
  }

  @Test
  void aSliceWhoseInvocationFailsIsDeliveredAgainAndPolledByTheNextInstance(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    Map<String, String> broken = new HashMap<>(fx.environment());
    try (ServerSocket closed = new ServerSocket(0)) {
      broken.put("FIRESTORE_EMULATOR_HOST", "127.0.0.1:" + closed.getLocalPort());
    }
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    // Cut two minutes ahead, so the broken instance's 30 s selection deadline and two invoker
    // starts on a loaded machine stay within the slice's tick (a later slice is dropped as stale).
    PollSlice slice = PollSlice.partition(1, Instant.now().plus(Duration.ofMinutes(2))).get(0);

    try (PubSubBridge bridge = bridge(cloud, port)) {
      PubSubBridge.Delivery failed;
      try (InvokedFunction unavailable = InvokedFunction.start(TARGET, broken, List.of(), port)) {
        publish(cloud, slice.encode().getData());
        failed = nextAnswered();
        assertThat(unavailable.output()).contains("the slice is delivered again");
      }
      try (InvokedFunction function =
          InvokedFunction.start(TARGET, fx.environment(), List.of(), port)) {
        PubSubBridge.Delivery redelivered = nextAcknowledged();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(redelivered.messageId()).isEqualTo(failed.messageId());
        assertThat(redelivered.attempt()).isGreaterThan(failed.attempt());
        assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_RUNNING");
      }
    }
  }

  private PubSubBridge bridge(LocalCloud cloud, int port) {
    return PubSubBridge.start(
        cloud,
        "poll-slices",
        "poll-slices-fn",
        java.net.URI.create("http://127.0.0.1:" + port + "/"),
        // Redelivered after a second: fast, without spinning while no instance listens.
        new PubSubBridge.Settings(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 2),
        deliveries::add);
  }

  private static void publish(LocalCloud cloud, ByteString data) throws Exception {
    cloud
        .publisher("poll-slices")
        .publish(PubsubMessage.newBuilder().setData(data).build())
        .get(20, TimeUnit.SECONDS);
  }

  private PubSubBridge.Delivery next() throws InterruptedException {
    PubSubBridge.Delivery delivery = deliveries.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(delivery).as("a delivery within %s", WAIT).isNotNull();
    return delivery;
  }

  /** The next delivery the function answered (refused connections while none listens skipped). */
  private PubSubBridge.Delivery nextAnswered() throws InterruptedException {
    PubSubBridge.Delivery delivery = next();
    while (delivery.status() == 0) {
      delivery = next();
    }
    return delivery;
  }

  private PubSubBridge.Delivery nextAcknowledged() throws InterruptedException {
    PubSubBridge.Delivery delivery = next();
    while (!delivery.acknowledged()) {
      delivery = next();
    }
    return delivery;
  }
}
