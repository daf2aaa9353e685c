package io.batchdrop.localstack;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.PubSubBridge;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * Batchdrop running offline with its production code paths: the local cloud, every function of
 * {@link #FUNCTIONS} on the real Functions Framework invoker in its own JVM, each wired to its
 * trigger as in production: the storage emulator POSTs finalize CloudEvents as Eventarc does, a
 * {@link PubSubBridge} delivers topic messages as Eventarc does (dead-lettering to {@link
 * LocalDeployment#DEAD_LETTER_TOPIC} after Terraform's number of deliveries), and {@link #tick()}
 * calls the scheduled ones as Cloud Scheduler does.
 */
public final class LocalStack implements AutoCloseable {
  public static final String PREFIX = "incoming/";

  /**
   * Deliveries of a hand-off to publish before it is dead-lettered: {@code
   * publish_max_delivery_attempts}'s default in {@code terraform/variables.tf}.
   */
  public static final int PUBLISH_MAX_DELIVERY_ATTEMPTS = 10;

  /**
   * Deliveries of a slice to poll-slices before it is dead-lettered ({@code terraform/pubsub.tf}).
   */
  public static final int POLL_SLICES_MAX_DELIVERY_ATTEMPTS = 5;

  /** Poll's {@code timeout_seconds} ({@code terraform/functions.tf}); its Scheduler job's too. */
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(300);

  /**
   * The deployment, in the order of {@code terraform/functions.tf}, each with its {@code
   * timeout_seconds} there. A new function is one entry.
   */
  public static final List<LocalFunction> FUNCTIONS =
      List.of(
          new LocalFunction(
              "submit",
              "io.batchdrop.submit.SubmitFunction",
              Duration.ofSeconds(540),
              new LocalFunction.StorageFinalized(LocalDeployment.INBOX)),
          new LocalFunction(
              "poll",
              "io.batchdrop.poll.PollFunction",
              POLL_TIMEOUT,
              LocalFunction.Scheduled.forTimeout("batchdrop-poll", POLL_TIMEOUT)),
          new LocalFunction(
              "poll-slices",
              "io.batchdrop.poll.PollSliceFunction",
              Duration.ofSeconds(300),
              new LocalFunction.PubSubPublished("poll-slices", POLL_SLICES_MAX_DELIVERY_ATTEMPTS)),
          new LocalFunction(
              "publish",
              "io.batchdrop.publish.PublishFunction",
              Duration.ofSeconds(540),
              new LocalFunction.PubSubPublished("completions", PUBLISH_MAX_DELIVERY_ATTEMPTS)));

  /**
   * How to deploy.
   *
   * @param functions what to run
   * @param firstPort 0 for free ports, else function i listens on {@code firstPort + i}
   * @param bridge how Pub/Sub-triggered functions get their messages; each delivery may take the
   *     receiving function's own timeout, as Eventarc's push does, whatever {@code deliveryTimeout}
   *     says
   * @param deliveries hears every Pub/Sub delivery, with the function it was for (for printing)
   */
  public record Options(
      List<LocalFunction> functions,
      int firstPort,
      PubSubBridge.Settings bridge,
      BiConsumer<LocalFunction, PubSubBridge.Delivery> deliveries) {
    public Options {
      functions = List.copyOf(functions);
      Objects.requireNonNull(bridge, "bridge");
      Objects.requireNonNull(deliveries, "deliveries");
    }

    /** Every function, free ports, Eventarc's retry behaviour, deliveries not reported. */
    public static Options defaults() {
      return new Options(FUNCTIONS, 0, PubSubBridge.Settings.EVENTARC, (function, delivery) -> {});
    }
  }

  private final LocalCloud cloud;
  private final LocalDeployment deployment;
  private final Map<LocalFunction, InvokedFunction> running;
  private final List<PubSubBridge> bridges;
  private int ticks;

  private LocalStack(
      LocalCloud cloud,
      LocalDeployment deployment,
      Map<LocalFunction, InvokedFunction> running,
      List<PubSubBridge> bridges) {
    this.cloud = cloud;
    this.deployment = deployment;
    this.running = running;
    this.bridges = bridges;
  }

  /** {@link #deploy(LocalCloud, Map, Options)} with {@link Options#defaults()}. */
  public static LocalStack deploy(LocalCloud cloud, Map<String, String> settings) throws Exception {
    return deploy(cloud, settings, Options.defaults());
  }

  /**
   * Deploys on a running (empty) local cloud with these settings on top of the defaults; the caller
   * owns the cloud. On failure, whatever had started is stopped.
   */
  public static LocalStack deploy(LocalCloud cloud, Map<String, String> settings, Options options)
      throws Exception {
    LocalDeployment deployment = LocalDeployment.create(cloud);
    deployment.configure(Map.of("BATCHDROP_INBOX_PREFIX", PREFIX));
    deployment.configure(settings);
    Map<LocalFunction, InvokedFunction> running = startAll(deployment, options);
    LocalStack stack = new LocalStack(cloud, deployment, running, new ArrayList<>());
    try {
      running.forEach((function, invoked) -> stack.wire(function, invoked, options));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
  }

  /** The invoker JVMs boot in parallel: each takes seconds, mostly class loading. */
  private static Map<LocalFunction, InvokedFunction> startAll(
      LocalDeployment deployment, Options options) throws Exception {
    List<CompletableFuture<InvokedFunction>> starts = new ArrayList<>();
    for (int i = 0; i < options.functions().size(); i++) {
      LocalFunction function = options.functions().get(i);
      int port = options.firstPort() == 0 ? 0 : options.firstPort() + i;
      starts.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Map<String, String> environment = new HashMap<>(deployment.environment());
                  // Last, as terraform merges it: the function's own timeout.
                  environment.putAll(function.environment());
                  return InvokedFunction.start(function.entryPoint(), environment, List.of(), port);
                } catch (Exception e) {
                  throw new CompletionException(
                      new IllegalStateException(
                          "function " + function.name() + " did not start: " + e.getMessage(), e));
                }
              }));
    }
    Map<LocalFunction, InvokedFunction> running = new LinkedHashMap<>();
    Exception failure = null;
    for (int i = 0; i < starts.size(); i++) {
      try {
        running.put(options.functions().get(i), starts.get(i).join());
      } catch (CompletionException e) {
        Exception cause = e.getCause() instanceof Exception c ? c : e;
        if (failure == null) {
          failure = cause;
        } else {
          failure.addSuppressed(cause);
        }
      }
    }
    if (failure != null) {
      for (InvokedFunction invoked : running.values()) {
        try {
          invoked.close();
        } catch (Exception e) {
          failure.addSuppressed(e);
        }
      }
      throw failure;
    }
    return running;
  }

  private void wire(LocalFunction function, InvokedFunction invoked, Options options) {
    if (function.trigger() instanceof LocalFunction.StorageFinalized storage) {
      cloud.storageEmulator().addNotification(storage.bucket(), invoked.uri());
    } else if (function.trigger() instanceof LocalFunction.PubSubPublished pubsub) {
      // Like Eventarc's own subscription on the topic, beside the ones subscribers have.
      bridges.add(
          PubSubBridge.start(
              cloud,
              pubsub.topic(),
              pubsub.topic() + "-" + function.name(),
              invoked.uri(),
              options.bridge().withDeliveryTimeout(function.timeout()),
              pubsub.deadLetter(),
              delivery -> options.deliveries().accept(function, delivery)));
    }
    // Scheduled functions are called by tick().
  }

  public LocalCloud cloud() {
    return cloud;
  }

  public Map<String, String> environment() {
    return deployment.environment();
  }

  /** The functions running, in deployment order. */
  public Map<LocalFunction, InvokedFunction> functions() {
    return running;
  }

  /**
   * Uploads to the inbox, as {@code gsutil cp} would; the finalize event reaches submit by itself.
   */
  public Blob upload(String name, byte[] content) {
    return upload(name, content, Map.of());
  }

  /** With object metadata, e.g. {@code batchdrop-backend: gemini-api}. */
  public Blob upload(String name, byte[] content, Map<String, String> metadata) {
    return cloud
        .storage()
        .create(
            BlobInfo.newBuilder(LocalDeployment.INBOX, PREFIX + name)
                .setContentType("application/jsonl")
                .setMetadata(metadata.isEmpty() ? null : metadata)
                .build(),
            content);
  }

  /**
   * One Cloud Scheduler tick: POSTs every scheduled function, with the headers Cloud Scheduler
   * sends, and returns their answers (poll's JSON summary), one a line. A function that has not
   * answered by its job's attempt deadline fails the tick, as it fails the job's attempt; the
   * function itself runs on, as it does deployed.
   */
  public synchronized String tick() throws Exception {
    ticks++;
    List<String> answers = new ArrayList<>();
    for (Map.Entry<LocalFunction, InvokedFunction> entry : running.entrySet()) {
      if (entry.getKey().trigger() instanceof LocalFunction.Scheduled scheduled) {
        HttpResponse<String> response;
        try {
          response =
              entry
                  .getValue()
                  .post(
                      Map.of(
                          "X-CloudScheduler-JobName",
                          scheduled.jobName(),
                          "X-CloudScheduler-ScheduleTime",
                          "local-tick-" + ticks),
                      "",
                      scheduled.attemptDeadline());
        } catch (HttpTimeoutException e) {
          throw new IllegalStateException(
              entry.getKey().name()
                  + " did not answer within the attempt deadline of its Scheduler job, "
                  + scheduled.attemptDeadline().toSeconds()
                  + " s; the next tick is the retry",
              e);
        }
        if (response.statusCode() != 200) {
          throw new IllegalStateException(
              entry.getKey().name()
                  + " answered "
                  + response.statusCode()
                  + ", expected 200: "
                  + response.body());
        }
        answers.add(response.body());
      }
    }
    return String.join("\n", answers);
  }

  /** What the functions logged so far (structured JSON lines). */
  public String logs() throws Exception {
    StringBuilder logs = new StringBuilder();
    for (InvokedFunction invoked : running.values()) {
      logs.append(invoked.output());
    }
    return logs.toString();
  }

  /** Stops the triggers first, so no event reaches a function that is stopping. */
  @Override
  public void close() throws Exception {
    cloud.storageEmulator().removeNotifications();
    Exception failure = null;
    List<AutoCloseable> order = new ArrayList<>(bridges);
    order.addAll(running.values());
    for (AutoCloseable closeable : order) {
      try {
        closeable.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
