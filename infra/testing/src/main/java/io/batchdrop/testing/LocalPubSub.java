package io.batchdrop.testing;

import com.google.api.gax.core.CredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectName;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.PullResponse;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Official Pub/Sub clients wired to the emulator over one plaintext channel, and the few helpers
 * tests need: create, publish, pull until a count arrives, delete everything.
 */
final class LocalPubSub implements AutoCloseable {

  private static final int ACK_DEADLINE_SECONDS = 10;

  /**
   * How long after a pull's call timed out a message it leased may still be away: a call that ends
   * by its deadline just as the emulator answers leaves what it leased unacknowledged and unseen
   * until the ack deadline passes, and the emulator delivers it again soon after.
   */
  private static final Duration LOST_LEASE_BACK = Duration.ofSeconds(ACK_DEADLINE_SECONDS + 3);

  /** By subscription: when ({@link System#nanoTime}) the leases of timed-out pulls are back. */
  private final Map<String, Long> lostLeasesBackAt = new ConcurrentHashMap<>();

  private final String projectId;
  private final ManagedChannel channel;
  private final TransportChannelProvider channelProvider;
  private final CredentialsProvider credentials = NoCredentialsProvider.create();
  private final TopicAdminClient topicAdmin;
  private final SubscriptionAdminClient subscriptionAdmin;
  private final List<Publisher> publishers = new CopyOnWriteArrayList<>();

  LocalPubSub(String hostPort, String projectId) {
    this.projectId = projectId;
    this.channel = ManagedChannelBuilder.forTarget(hostPort).usePlaintext().build();
    this.channelProvider =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    try {
      this.topicAdmin =
          TopicAdminClient.create(
              TopicAdminSettings.newBuilder()
                  .setTransportChannelProvider(channelProvider)
                  .setCredentialsProvider(credentials)
                  .build());
      this.subscriptionAdmin =
          SubscriptionAdminClient.create(
              SubscriptionAdminSettings.newBuilder()
                  .setTransportChannelProvider(channelProvider)
                  .setCredentialsProvider(credentials)
                  .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TopicAdminClient topicAdmin() {
    return topicAdmin;
  }

  SubscriptionAdminClient subscriptionAdmin() {
    return subscriptionAdmin;
  }

  Publisher publisher(String topicId) {
    try {
      Publisher publisher =
          Publisher.newBuilder(TopicName.of(projectId, topicId))
              .setChannelProvider(channelProvider)
              .setCredentialsProvider(credentials)
              .build();
      publishers.add(publisher);
      return publisher;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Topic createTopic(String topicId) {
    return topicAdmin.createTopic(TopicName.of(projectId, topicId));
  }

  Subscription createSubscription(String topicId, String subscriptionId) {
    return subscriptionAdmin.createSubscription(
        Subscription.newBuilder()
            .setName(ProjectSubscriptionName.format(projectId, subscriptionId))
            .setTopic(TopicName.format(projectId, topicId))
            .setAckDeadlineSeconds(ACK_DEADLINE_SECONDS)
            .build());
  }

  /**
   * Pulls and acknowledges until {@code expected} messages arrived or {@code timeout} passed, and
   * returns what arrived (possibly more than expected, fewer on timeout).
   */
  List<PubsubMessage> pull(String subscriptionId, int expected, Duration timeout) {
    String subscription = ProjectSubscriptionName.format(projectId, subscriptionId);
    List<PubsubMessage> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < expected) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      if (left.isNegative() || left.isZero()) {
        break;
      }
      List<ReceivedMessage> batch = pullOnce(subscription, expected - received.size(), left);
      for (ReceivedMessage message : batch) {
        PubSubQuota.check(subscriptionId, message.getMessage());
        received.add(message.getMessage());
      }
      acknowledge(subscription, batch);
    }
    return received;
  }

  /**
   * Pulls and acknowledges what the subscription has ready now, until it answers with nothing: the
   * emulator answers such a pull at once, so no call of it ends by its deadline with a lease lost.
   */
  List<PubsubMessage> pullAvailable(String subscriptionId) {
    String subscription = ProjectSubscriptionName.format(projectId, subscriptionId);
    List<PubsubMessage> received = new ArrayList<>();
    while (true) {
      List<ReceivedMessage> batch = pullNow(subscription);
      if (batch.isEmpty()) {
        return received;
      }
      for (ReceivedMessage message : batch) {
        PubSubQuota.check(subscriptionId, message.getMessage());
        received.add(message.getMessage());
      }
      acknowledge(subscription, batch);
    }
  }

  /**
   * How long until every message a timed-out pull of the subscription may have leased is delivered
   * again; zero when no pull of it timed out within the last ack deadline.
   */
  Duration lostLeasesAway(String subscriptionId) {
    Long backAt = lostLeasesBackAt.get(ProjectSubscriptionName.format(projectId, subscriptionId));
    long left = backAt == null ? 0 : backAt - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** Shuts down the publishers handed out, then deletes every subscription and topic. */
  void deleteAll() {
    shutDownPublishers();
    ProjectName project = ProjectName.of(projectId);
    subscriptionAdmin
        .listSubscriptions(project)
        .iterateAll()
        .forEach(subscription -> subscriptionAdmin.deleteSubscription(subscription.getName()));
    topicAdmin
        .listTopics(project)
        .iterateAll()
        .forEach(topic -> topicAdmin.deleteTopic(topic.getName()));
  }

  @Override
  public void close() {
    shutDownPublishers();
    topicAdmin.close();
    subscriptionAdmin.close();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<ReceivedMessage> pullOnce(String subscription, int maxMessages, Duration wait) {
    PullRequest request =
        PullRequest.newBuilder().setSubscription(subscription).setMaxMessages(maxMessages).build();
    try {
      // Without returnImmediately the emulator holds the call open until messages arrive, so the
      // call's own deadline is the wait.
      PullResponse response =
          subscriptionAdmin
              .pullCallable()
              .call(request, GrpcCallContext.createDefault().withTimeoutDuration(wait));
      return response.getReceivedMessagesList();
    } catch (DeadlineExceededException e) {
      leaseMayBeLost(subscription);
      return List.of();
    }
  }

  /** One pull the emulator answers at once, with what it has ready (maybe nothing). */
  @SuppressWarnings("deprecation") // returnImmediately: the emulator honours it; no call waits
  private List<ReceivedMessage> pullNow(String subscription) {
    PullRequest request =
        PullRequest.newBuilder()
            .setSubscription(subscription)
            .setMaxMessages(1000)
            .setReturnImmediately(true)
            .build();
    try {
      return subscriptionAdmin
          .pullCallable()
          .call(request, GrpcCallContext.createDefault().withTimeoutDuration(NOW_DEADLINE))
          .getReceivedMessagesList();
    } catch (DeadlineExceededException e) {
      leaseMayBeLost(subscription);
      return List.of();
    }
  }

  /** A pull of it ended by its deadline: what the emulator leased to it is away a while. */
  private void leaseMayBeLost(String subscription) {
    lostLeasesBackAt.merge(subscription, System.nanoTime() + LOST_LEASE_BACK.toNanos(), Math::max);
  }

  /** Bounds a pull answered at once, should the emulator hang. */
  private static final Duration NOW_DEADLINE = Duration.ofSeconds(30);

  private void acknowledge(String subscription, List<ReceivedMessage> messages) {
    if (messages.isEmpty()) {
      return;
    }
    subscriptionAdmin
        .acknowledgeCallable()
        .call(
            AcknowledgeRequest.newBuilder()
                .setSubscription(subscription)
                .addAllAckIds(messages.stream().map(ReceivedMessage::getAckId).toList())
                .build());
  }

  private void shutDownPublishers() {
    for (Publisher publisher : publishers) {
      publisher.shutdown();
      try {
        publisher.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    publishers.clear();
  }
}
