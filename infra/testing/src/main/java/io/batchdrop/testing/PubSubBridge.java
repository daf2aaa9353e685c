package io.batchdrop.testing;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ModifyAckDeadlineRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.TopicName;
import io.batchdrop.emulator.storage.DeliveryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What Eventarc does for a {@code google.cloud.pubsub.topic.v1.messagePublished} trigger, on the
 * local cloud: a subscription of its own on the topic, each message POSTed to the function as a
 * binary-mode CloudEvent ({@link MessagePublishedEvent}, {@link EventarcDelivery}); a 2xx answer
 * acknowledges it, anything else (an error status, a refused connection, a timeout) sends it back
 * with exponential backoff, as the push subscription behind the trigger does. With a {@link
 * DeadLetter} policy, as production's triggers have, a message whose delivery failed that many
 * times is published to the dead-letter topic with Pub/Sub's {@code CloudPubSubDeadLetter*}
 * attributes and acknowledged.
 *
 * <pre>{@code
 * try (PubSubBridge bridge = PubSubBridge.start(cloud, "completions", "completions-publish",
 *     publish.uri(), PubSubBridge.Settings.FAST,
 *     new PubSubBridge.DeadLetter(LocalDeployment.DEAD_LETTER_TOPIC, 10), delivery -> {})) {
 *   ...
 * }
 * }</pre>
 *
 * <p>A message the real Pub/Sub would have refused at publish ({@link PubSubQuota}: over 10 MB,
 * over 100 attributes, an attribute or ordering key too long, nothing in it) is not delivered: it
 * is acknowledged, logged, and reported as a delivery with status 0 and the refusal as its error.
 *
 * <p>Not emulated: the 24 h retention (the emulator's own applies); a message's delivery count is
 * kept by the bridge, so it starts again from 1 when a bridge is started anew.
 */
public final class PubSubBridge implements AutoCloseable {

  /**
   * How the bridge delivers.
   *
   * @param minimumBackoff the wait before the first redelivery; zero redelivers at once
   * @param maximumBackoff the longest wait; the backoff doubles up to it
   * @param deliveryTimeout how long one POST may take before it counts as failed
   * @param concurrency deliveries in flight at once
   */
  public record Settings(
      Duration minimumBackoff, Duration maximumBackoff, Duration deliveryTimeout, int concurrency) {

    /**
     * Eventarc's ({@link DeliveryPolicy#EVENTARC}, which the storage emulator's finalize events
     * follow too): backoff 10–600 s, the 540 s function timeout (a function deployed with another
     * timeout: {@link #withDeliveryTimeout}), a few instances.
     */
    public static final Settings EVENTARC =
        new Settings(
            DeliveryPolicy.EVENTARC.minimumBackoff(),
            DeliveryPolicy.EVENTARC.maximumBackoff(),
            DeliveryPolicy.EVENTARC.deadline(),
            4);

    /** For tests: redelivery at once, so a retry is seen without waiting. */
    public static final Settings FAST =
        new Settings(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(60), 4);

    public Settings {
      Objects.requireNonNull(minimumBackoff, "minimumBackoff");
      Objects.requireNonNull(maximumBackoff, "maximumBackoff");
      Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
      if (minimumBackoff.isNegative() || maximumBackoff.compareTo(minimumBackoff) < 0) {
        throw new IllegalArgumentException(
            "expected 0 <= minimumBackoff <= maximumBackoff, got "
                + minimumBackoff
                + " and "
                + maximumBackoff);
      }
      if (maximumBackoff.compareTo(MAX_ACK_DEADLINE) > 0) {
        throw new IllegalArgumentException(
            "maximumBackoff is at most 600 s (Pub/Sub's longest ack deadline), got "
                + maximumBackoff);
      }
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
    }

    /** The same settings for a function whose own timeout is {@code timeout}. */
    public Settings withDeliveryTimeout(Duration timeout) {
      return new Settings(minimumBackoff, maximumBackoff, timeout, concurrency);
    }

    /** The backoff before delivery {@code attempt + 1}: min × 2^(attempt−1), capped at max. */
    Duration backoffAfter(int attempt) {
      Duration backoff = minimumBackoff;
      for (int i = 1; i < attempt && backoff.compareTo(maximumBackoff) < 0; i++) {
        backoff = backoff.multipliedBy(2);
      }
      return backoff.compareTo(maximumBackoff) > 0 ? maximumBackoff : backoff;
    }
  }

  /**
   * Pub/Sub's dead-letter policy on the trigger's subscription ({@code terraform/pubsub.tf}).
   *
   * @param topicId the dead-letter topic, in the bridge's project
   * @param maxDeliveryAttempts deliveries of a message before it is dead-lettered: 5–100, as
   *     Pub/Sub allows
   */
  public record DeadLetter(String topicId, int maxDeliveryAttempts) {
    public DeadLetter {
      Objects.requireNonNull(topicId, "topicId");
      if (maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100) {
        throw new IllegalArgumentException(
            "maxDeliveryAttempts must be from 5 to 100 (Pub/Sub's dead-letter limits), was "
                + maxDeliveryAttempts);
      }
    }
  }

  /** The attributes Pub/Sub adds to a message it forwards to a dead-letter topic. */
  public static final String DEAD_LETTER_DELIVERY_COUNT =
      "CloudPubSubDeadLetterSourceDeliveryCount";

  public static final String DEAD_LETTER_SUBSCRIPTION = "CloudPubSubDeadLetterSourceSubscription";
  public static final String DEAD_LETTER_SUBSCRIPTION_PROJECT =
      "CloudPubSubDeadLetterSourceSubscriptionProject";
  public static final String DEAD_LETTER_PUBLISH_TIME =
      "CloudPubSubDeadLetterSourceTopicPublishTime";

  /**
   * One delivery and how it ended.
   *
   * @param messageId the Pub/Sub message id (the CloudEvent id)
   * @param attempt 1 for the first delivery of the message
   * @param status the HTTP status the function answered, or 0 when no answer came
   * @param error why no answer came (empty otherwise)
   * @param retryIn when not acknowledged, how long until it is delivered again
   * @param deadLettered the delivery failed and was the last: the message went to the dead-letter
   *     topic and is not delivered again
   */
  public record Delivery(
      String messageId,
      int attempt,
      int status,
      String error,
      Duration retryIn,
      boolean deadLettered) {
    public boolean acknowledged() {
      return status >= 200 && status < 300;
    }
  }

  private static final Duration MAX_ACK_DEADLINE = Duration.ofSeconds(600);
  private static final Duration PULL_WAIT = Duration.ofSeconds(2);
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final LocalCloud cloud;
  private final SubscriptionAdminClient subscriber;
  private final String subscription;
  private final String topic;
  private final URI target;
  private final Settings settings;
  private final Optional<DeadLetter> deadLetter;
  private final Consumer<Delivery> listener;
  private final HttpClient http;
  private final ExecutorService deliveries;
  private final Semaphore slots;
  private final Thread puller;
  // Attempts per message, counted here: the emulator reports delivery attempts only with a
  // dead-letter policy. An entry lives until its message is acknowledged.
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private volatile boolean running = true;

  private PubSubBridge(
      LocalCloud cloud,
      String subscription,
      String topic,
      URI target,
      Settings settings,
      Optional<DeadLetter> deadLetter,
      Consumer<Delivery> listener) {
    this.cloud = cloud;
    this.subscriber = cloud.subscriptionAdmin();
    this.subscription = subscription;
    this.topic = topic;
    this.target = target;
    this.settings = settings;
    this.deadLetter = deadLetter;
    this.listener = listener;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.deliveries =
        Executors.newFixedThreadPool(
            settings.concurrency(),
            runnable -> {
              Thread thread = new Thread(runnable, "pubsub-bridge-delivery");
              thread.setDaemon(true);
              return thread;
            });
    this.slots = new Semaphore(settings.concurrency());
    this.puller = new Thread(this::pullLoop, "pubsub-bridge-pull " + subscription);
    this.puller.setDaemon(true);
  }

  /**
   * {@link #start(LocalCloud, String, String, URI, Settings, DeadLetter, Consumer)} without a
   * dead-letter policy: a message is delivered until it is acknowledged or the bridge stops.
   */
  public static PubSubBridge start(
      LocalCloud cloud,
      String topicId,
      String subscriptionId,
      URI target,
      Settings settings,
      Consumer<Delivery> listener) {
    return start(cloud, topicId, subscriptionId, target, settings, Optional.empty(), listener);
  }

  /**
   * Creates {@code subscriptionId} on {@code topicId} (as Eventarc creates its own subscription,
   * with the longest ack deadline so a slow function is not redelivered meanwhile) and starts
   * delivering its messages to {@code target}, dead-lettering after {@code deadLetter}'s deliveries
   * (its topic must exist); {@code listener} hears about every delivery.
   */
  public static PubSubBridge start(
      LocalCloud cloud,
      String topicId,
      String subscriptionId,
      URI target,
      Settings settings,
      DeadLetter deadLetter,
      Consumer<Delivery> listener) {
    return start(
        cloud,
        topicId,
        subscriptionId,
        target,
        settings,
        Optional.of(Objects.requireNonNull(deadLetter, "deadLetter")),
        listener);
  }

  private static PubSubBridge start(
      LocalCloud cloud,
      String topicId,
      String subscriptionId,
      URI target,
      Settings settings,
      Optional<DeadLetter> deadLetter,
      Consumer<Delivery> listener) {
    String subscription = ProjectSubscriptionName.format(cloud.projectId(), subscriptionId);
    String topic = TopicName.format(cloud.projectId(), topicId);
    cloud
        .subscriptionAdmin()
        .createSubscription(
            Subscription.newBuilder()
                .setName(subscription)
                .setTopic(topic)
                .setAckDeadlineSeconds((int) MAX_ACK_DEADLINE.toSeconds())
                .build());
    PubSubBridge bridge =
        new PubSubBridge(cloud, subscription, topic, target, settings, deadLetter, listener);
    bridge.puller.start();
    return bridge;
  }

  /** {@code projects/P/subscriptions/S}. */
  public String subscription() {
    return subscription;
  }

  private void pullLoop() {
    while (running) {
      try {
        slots.acquire();
        int free = 1 + slots.drainPermits();
        int taken = 0;
        try {
          for (ReceivedMessage message : pull(free)) {
            taken++;
            deliveries.execute(() -> deliverThenRelease(message));
          }
        } finally {
          slots.release(free - taken);
        }
      } catch (InterruptedException | RejectedExecutionException e) {
        // Stopping: what was pulled and not delivered comes back after its ack deadline.
        return;
      } catch (ApiException e) {
        if (running) {
          // The emulator went away or hiccuped; the next pull tries again after a pause.
          System.err.println("[pubsub-bridge] pull from " + subscription + " failed: " + e);
          pause();
        }
      }
    }
  }

  private List<ReceivedMessage> pull(int max) {
    PullRequest request =
        PullRequest.newBuilder().setSubscription(subscription).setMaxMessages(max).build();
    try {
      // Without returnImmediately the emulator holds the call open until messages arrive, so the
      // call's deadline bounds the wait and lets close() be noticed.
      return subscriber
          .pullCallable()
          .call(request, GrpcCallContext.createDefault().withTimeoutDuration(PULL_WAIT))
          .getReceivedMessagesList();
    } catch (DeadlineExceededException e) {
      return List.of();
    }
  }

  private void deliverThenRelease(ReceivedMessage received) {
    try {
      deliver(received);
    } finally {
      slots.release();
    }
  }

  private void deliver(ReceivedMessage received) {
    String messageId = received.getMessage().getMessageId();
    Optional<String> refused = PubSubQuota.problem(received.getMessage());
    if (refused.isPresent()) {
      // Pub/Sub would have refused the publish: the function never gets it.
      String refusal = PubSubQuota.refusal(subscription, refused.get());
      System.err.println("[pubsub-bridge] not delivered: " + refusal);
      try {
        acknowledge(received);
      } catch (ApiException e) {
        System.err.println("[pubsub-bridge] could not settle message " + messageId + ": " + e);
      }
      listener.accept(new Delivery(messageId, 1, 0, refusal, Duration.ZERO, false));
      return;
    }
    int attempt = attempts.merge(messageId, 1, Integer::sum);
    EventarcDelivery event =
        EventarcDelivery.of(
            MessagePublishedEvent.of(received.getMessage(), topic, subscription, attempt));
    int status = 0;
    String error = "";
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target)
              .timeout(settings.deliveryTimeout())
              .POST(HttpRequest.BodyPublishers.ofString(event.body()));
      event.headers().forEach(request::header);
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      error = e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted: the bridge is stopping";
    }
    boolean acknowledged = status >= 200 && status < 300;
    boolean last =
        !acknowledged && deadLetter.map(d -> attempt >= d.maxDeliveryAttempts()).orElse(false);
    Delivery delivery =
        new Delivery(
            messageId,
            attempt,
            status,
            error,
            acknowledged || last ? Duration.ZERO : settings.backoffAfter(attempt),
            last);
    try {
      if (acknowledged) {
        acknowledge(received);
        attempts.remove(messageId);
      } else if (last) {
        // As Pub/Sub forwards it: published first, then acknowledged (a failed ack may forward
        // it twice, which Pub/Sub's best-effort dead-lettering allows too).
        forwardToDeadLetter(received.getMessage(), attempt, deadLetter.orElseThrow());
        acknowledge(received);
        attempts.remove(messageId);
      } else {
        retryLater(received, delivery.retryIn());
      }
    } catch (ApiException e) {
      // Neither acked nor nacked: the ack deadline runs out and Pub/Sub redelivers it.
      System.err.println("[pubsub-bridge] could not settle message " + messageId + ": " + e);
    }
    listener.accept(delivery);
  }

  private void acknowledge(ReceivedMessage received) {
    subscriber
        .acknowledgeCallable()
        .call(
            AcknowledgeRequest.newBuilder()
                .setSubscription(subscription)
                .addAckIds(received.getAckId())
                .build());
  }

  /** The message with its own data and attributes and Pub/Sub's dead-letter attributes. */
  private void forwardToDeadLetter(PubsubMessage message, int deliveries, DeadLetter policy) {
    ProjectSubscriptionName source = ProjectSubscriptionName.parse(subscription);
    PubsubMessage forwarded =
        PubsubMessage.newBuilder()
            .setData(message.getData())
            .putAllAttributes(message.getAttributesMap())
            .putAttributes(DEAD_LETTER_DELIVERY_COUNT, Integer.toString(deliveries))
            .putAttributes(DEAD_LETTER_SUBSCRIPTION, source.getSubscription())
            .putAttributes(DEAD_LETTER_SUBSCRIPTION_PROJECT, source.getProject())
            .putAttributes(
                DEAD_LETTER_PUBLISH_TIME,
                Instant.ofEpochSecond(
                        message.getPublishTime().getSeconds(), message.getPublishTime().getNanos())
                    .toString())
            .build();
    cloud
        .topicAdmin()
        .publish(TopicName.of(cloud.projectId(), policy.topicId()), List.of(forwarded));
  }

  /** A nack is an ack deadline of 0; a longer deadline is a nack that waits out the backoff. */
  private void retryLater(ReceivedMessage received, Duration backoff) {
    subscriber
        .modifyAckDeadlineCallable()
        .call(
            ModifyAckDeadlineRequest.newBuilder()
                .setSubscription(subscription)
                .addAckIds(received.getAckId())
                .setAckDeadlineSeconds((int) backoff.toSeconds())
                .build());
  }

  private void pause() {
    try {
      TimeUnit.MILLISECONDS.sleep(PULL_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /**
   * Stops pulling and waits for deliveries in flight; a message not acknowledged by then stays on
   * the subscription. The subscription itself is left (the cloud's reset or close removes it).
   */
  @Override
  public void close() {
    running = false;
    puller.interrupt();
    deliveries.shutdown();
    try {
      puller.join(STOP_WAIT.toMillis());
      if (!deliveries.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        deliveries.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deliveries.shutdownNow();
    }
  }
}
