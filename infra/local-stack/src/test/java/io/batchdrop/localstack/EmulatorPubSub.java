package io.batchdrop.localstack;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A subscriber of another process's Pub/Sub emulator, found as a user finds it: by its host. */
final class EmulatorPubSub implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(2);

  private final String projectId;
  private final ManagedChannel channel;
  private final SubscriptionAdminClient subscriber;

  EmulatorPubSub(String hostPort, String projectId) throws Exception {
    this.projectId = projectId;
    this.channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
    this.subscriber =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  /** One pull, held open up to 2 s by the emulator until messages arrive; acknowledges them. */
  List<PubsubMessage> pull(String subscriptionId) {
    String subscription = ProjectSubscriptionName.format(projectId, subscriptionId);
    List<ReceivedMessage> received;
    try {
      received =
          subscriber
              .pullCallable()
              .call(
                  PullRequest.newBuilder()
                      .setSubscription(subscription)
                      .setMaxMessages(100)
                      .build(),
                  GrpcCallContext.createDefault().withTimeoutDuration(WAIT))
              .getReceivedMessagesList();
    } catch (DeadlineExceededException e) {
      return List.of();
    }
    if (!received.isEmpty()) {
      subscriber
          .acknowledgeCallable()
          .call(
              AcknowledgeRequest.newBuilder()
                  .setSubscription(subscription)
                  .addAllAckIds(received.stream().map(ReceivedMessage::getAckId).toList())
                  .build());
    }
    return received.stream().map(ReceivedMessage::getMessage).toList();
  }

  @Override
  public void close() throws InterruptedException {
    subscriber.close();
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
