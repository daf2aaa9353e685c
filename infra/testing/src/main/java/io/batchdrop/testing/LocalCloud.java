package io.batchdrop.testing;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.JobServiceSettings;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.Topic;
import io.batchdrop.emulator.storage.StorageEmulator;
import io.batchdrop.emulator.storage.StorageEmulatorConfig;
import io.batchdrop.emulator.vertex.VertexEmulator;
import io.batchdrop.emulator.vertex.VertexEmulatorConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Google Cloud on this machine: the official Pub/Sub and Firestore emulators as child processes,
 * our Cloud Storage and Vertex AI emulators in this JVM, and official clients configured for them.
 *
 * <p>In tests, get one from {@link LocalCloudTest}: each test gets its own, on emulator processes
 * started once per test run ({@link #onShared}). {@link #start()} is for other callers (a local
 * stack, a benchmark), who own everything it starts and must {@link #close()} it.
 *
 * <pre>{@code
 * @LocalCloudTest
 * class SubmitTest {
 *   @Test
 *   void publishesOneMessage(LocalCloud cloud) {
 *     cloud.createTopic("results");
 *     cloud.createSubscription("results", "results-sub");
 *     cloud.publisher("results").publish(message);
 *     assertThat(cloud.pull("results-sub", 1, Duration.ofSeconds(10))).hasSize(1);
 *   }
 * }
 * }</pre>
 */
public final class LocalCloud implements AutoCloseable {

  /** The variables production configuration reads to find the emulators. */
  public static final String GOOGLE_CLOUD_PROJECT = "GOOGLE_CLOUD_PROJECT";

  public static final String FIRESTORE_EMULATOR_HOST = "FIRESTORE_EMULATOR_HOST";
  public static final String PUBSUB_EMULATOR_HOST = "PUBSUB_EMULATOR_HOST";
  public static final String STORAGE_EMULATOR_HOST = "STORAGE_EMULATOR_HOST";
  public static final String VERTEX_ENDPOINT = "VERTEX_ENDPOINT";

  private final String projectId;
  private final Closer testScoped = new Closer();
  private final Closer closer;
  private final OfficialProcesses processes;
  private final StorageEmulator storageEmulator;
  private final VertexEmulator vertexEmulator;
  private final io.batchdrop.emulator.gemini.GeminiEmulator geminiEmulator;
  private final Storage storage;
  private final LocalPubSub pubsub;
  private final LocalFirestore firestore;
  private final JobServiceClient jobService;
  private final Map<String, Duration> startupTimes;

  private LocalCloud(Builder parts) {
    this.projectId = parts.projectId;
    this.closer = parts.closer;
    this.processes = parts.processes;
    this.storageEmulator = parts.storageEmulator;
    this.vertexEmulator = parts.vertexEmulator;
    this.geminiEmulator = parts.geminiEmulator;
    this.storage = parts.storage;
    this.pubsub = parts.pubsub;
    this.firestore = parts.firestore;
    this.jobService = parts.jobService;
    this.startupTimes = Collections.unmodifiableMap(new LinkedHashMap<>(parts.startupTimes));
  }

  /** Starts everything with {@link LocalCloudConfig#defaults()}. */
  public static LocalCloud start() {
    return start(LocalCloudConfig.defaults());
  }

  /**
   * Starts all four emulators and the clients; on any failure stops what had started and throws
   * ({@link MissingEmulatorException} when a gcloud component is not installed).
   */
  public static LocalCloud start(LocalCloudConfig config) {
    Builder parts = new Builder(config.projectId());
    try {
      parts.start(config);
      return new LocalCloud(parts);
    } catch (RuntimeException | Error e) {
      throw parts.stopAfter(e);
    }
  }

  /**
   * A cloud of its own on emulator processes another owner started and closes: project {@code
   * projectId} (Firestore and Pub/Sub keep each project's documents, topics and subscriptions
   * apart), and fresh storage, Vertex and Gemini emulators in this JVM (they start in
   * milliseconds). Clouds with different project ids share nothing a test can see, so tests on them
   * may run at the same time. {@link #close} deletes the project's documents, topics and
   * subscriptions and stops the in-process emulators; the processes keep running.
   */
  static LocalCloud onShared(OfficialProcesses processes, String projectId) {
    Builder parts = new Builder(projectId);
    try {
      parts.startOn(processes, LocalCloudConfig.defaults());
      return new LocalCloud(parts);
    } catch (RuntimeException | Error e) {
      throw parts.stopAfter(e);
    }
  }

  public String projectId() {
    return projectId;
  }

  /** The official storage client, on the storage emulator. */
  public Storage storage() {
    return storage;
  }

  /** The official Firestore client, on the Firestore emulator. */
  public Firestore firestore() {
    return firestore.client();
  }

  public TopicAdminClient topicAdmin() {
    return pubsub.topicAdmin();
  }

  public SubscriptionAdminClient subscriptionAdmin() {
    return pubsub.subscriptionAdmin();
  }

  /** A new publisher for a topic of this project; shut down by the next reset or by close. */
  public Publisher publisher(String topicId) {
    return pubsub.publisher(topicId);
  }

  public Topic createTopic(String topicId) {
    return pubsub.createTopic(topicId);
  }

  /** A pull subscription with a 10 s ack deadline. */
  public Subscription createSubscription(String topicId, String subscriptionId) {
    return pubsub.createSubscription(topicId, subscriptionId);
  }

  /**
   * Pulls and acknowledges until {@code expected} messages arrived or {@code timeout} passed.
   *
   * @return the messages received: more than expected if more came in one pull, fewer on timeout
   */
  public List<PubsubMessage> pull(String subscriptionId, int expected, Duration timeout) {
    return pubsub.pull(subscriptionId, expected, timeout);
  }

  /**
   * Every message published on {@code topicId} before this call that {@code subscriptionId} has not
   * delivered yet, and no more: publishes a marker after them and pulls (and acknowledges) up to
   * it. A test that expects nothing more learns it as soon as the marker arrives, instead of
   * waiting out a window that would also be a guess. The marker alone is not enough: Pub/Sub does
   * not deliver in publish order, so what is ready beside the marker is taken too; and a message
   * leased to a pull of the subscription whose call timed out comes again only after its ack
   * deadline, after the marker, so after such a pull this waits until those leases are back.
   *
   * @throws IllegalStateException when the marker does not arrive within {@code timeout}
   */
  public List<PubsubMessage> pullPublishedSoFar(
      String topicId, String subscriptionId, Duration timeout) {
    String marker = "marker-" + UUID.randomUUID();
    try {
      publisher(topicId)
          .publish(
              PubsubMessage.newBuilder()
                  .setData(ByteString.copyFromUtf8(marker))
                  .putAttributes(MARKER, marker)
                  .build())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing the marker on " + topicId, e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish the marker on " + topicId, e);
    }
    List<PubsubMessage> received = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean seen = false;
    while (!seen && System.nanoTime() < deadline) {
      seen = keep(pull(subscriptionId, 1, timeout), marker, received);
    }
    if (!seen) {
      throw new IllegalStateException(
          "the marker on " + topicId + " did not reach " + subscriptionId + " within " + timeout);
    }
    keep(pubsub.pullAvailable(subscriptionId), marker, received);
    for (Duration away = pubsub.lostLeasesAway(subscriptionId);
        !away.isZero();
        away = pubsub.lostLeasesAway(subscriptionId)) {
      // A lease runs out on the emulator's clock, with nothing to wait on: look again shortly.
      LockSupport.parkNanos(Math.min(away.toNanos(), LOST_LEASE_LOOK.toNanos()));
      keep(pubsub.pullAvailable(subscriptionId), marker, received);
    }
    return received;
  }

  /** How often {@link #pullPublishedSoFar} looks for leases coming back. */
  private static final Duration LOST_LEASE_LOOK = Duration.ofMillis(200);

  /** Adds the messages that are not markers; true when this call's marker was among them. */
  private static boolean keep(List<PubsubMessage> messages, String marker, List<PubsubMessage> to) {
    boolean seen = false;
    for (PubsubMessage message : messages) {
      String attribute = message.getAttributesMap().get(MARKER);
      if (marker.equals(attribute)) {
        seen = true;
      } else if (attribute == null) {
        to.add(message); // a marker of an earlier call is dropped
      }
    }
    return seen;
  }

  /** The attribute of {@link #pullPublishedSoFar}'s marker messages. */
  public static final String MARKER = "marker";

  /** The official Vertex AI job client, on the Vertex emulator over plaintext gRPC. */
  public JobServiceClient jobService() {
    return jobService;
  }

  public StorageEmulator storageEmulator() {
    return storageEmulator;
  }

  public VertexEmulator vertexEmulator() {
    return vertexEmulator;
  }

  /** The Gemini API emulator; its API key is {@link #GEMINI_API_KEY_VALUE}. */
  public io.batchdrop.emulator.gemini.GeminiEmulator geminiEmulator() {
    return geminiEmulator;
  }

  /** The key the Gemini API emulator accepts, passed as {@code GEMINI_API_KEY}. */
  public static final String GEMINI_API_KEY_VALUE = "local-gemini-key-7f3a";

  /**
   * Exactly the environment variables production configuration reads, pointing at these emulators:
   * {@code GOOGLE_CLOUD_PROJECT}, {@code FIRESTORE_EMULATOR_HOST}, {@code PUBSUB_EMULATOR_HOST}
   * (host:port), {@code STORAGE_EMULATOR_HOST} (http://host:port) and {@code VERTEX_ENDPOINT}
   * (host:port).
   */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put(GOOGLE_CLOUD_PROJECT, projectId);
    environment.put(FIRESTORE_EMULATOR_HOST, processes.firestore().hostPort());
    environment.put(PUBSUB_EMULATOR_HOST, processes.pubsub().hostPort());
    environment.put(
        STORAGE_EMULATOR_HOST, withoutTrailingSlash(storageEmulator.baseUri().toString()));
    environment.put(VERTEX_ENDPOINT, vertexEmulator.endpoint());
    environment.put("GEMINI_API_BASE_URL", geminiEmulator.baseUri().toString());
    environment.put("GEMINI_API_KEY", GEMINI_API_KEY_VALUE);
    return Map.copyOf(environment);
  }

  /** How long each emulator took to start, by name: pubsub, firestore, storage, vertex. */
  public Map<String, Duration> startupTimes() {
    return startupTimes;
  }

  /** The PIDs of the official emulator processes, by name. */
  public Map<String, Long> processIds() {
    return Map.of(
        processes.pubsub().name(),
        processes.pubsub().pid(),
        processes.firestore().name(),
        processes.firestore().pid());
  }

  /**
   * Closes {@code resource} at the end of the current test ({@link LocalCloudTest}'s extension
   * does, before the next reset; {@link #close} does for other callers): a deployment and the
   * function instances and clients a test built on it never outlive the test, even when the test
   * class forgets its own clean-up.
   */
  public void closeAfterTest(AutoCloseable resource) {
    testScoped.register(resource);
  }

  /** Closes what the test registered, newest first, even when one fails. */
  void closeTestScoped() {
    testScoped.close();
  }

  /**
   * Back to empty: no Firestore documents, no topics or subscriptions (publishers handed out are
   * shut down), no buckets or objects, no Vertex jobs and default knobs.
   */
  public void reset() {
    vertexEmulator.reset();
    geminiEmulator.reset();
    storageEmulator.reset();
    pubsub.deleteAll();
    firestore.deleteAll();
  }

  /** Closes the clients, stops the in-process emulators and stops the emulator processes by PID. */
  @Override
  public void close() {
    try {
      closeTestScoped();
    } catch (RuntimeException e) {
      System.err.println("[batchdrop-testing] closing a test's resources failed: " + e);
    }
    closer.close();
  }

  private static String withoutTrailingSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }

  /** Everything started so far, so a failed start can stop exactly that. */
  private static final class Builder {
    final String projectId;
    final Closer closer = new Closer();
    final Map<String, Duration> startupTimes = new LinkedHashMap<>();
    OfficialProcesses processes;
    StorageEmulator storageEmulator;
    VertexEmulator vertexEmulator;
    io.batchdrop.emulator.gemini.GeminiEmulator geminiEmulator;
    Storage storage;
    LocalPubSub pubsub;
    LocalFirestore firestore;
    JobServiceClient jobService;

    Builder(String projectId) {
      this.projectId = projectId;
    }

    /** Everything, owned by this cloud: closing it stops the processes too. */
    void start(LocalCloudConfig config) {
      OfficialProcesses launched = closer.register(OfficialProcesses.launch(config));
      // Both JVMs boot while this one starts the in-process emulators.
      startInProcess(config);
      processes = launched.awaitReady();
      startPubSubAndFirestoreClients();
    }

    /** On processes someone else owns: closing this cloud wipes its project and leaves them. */
    void startOn(OfficialProcesses shared, LocalCloudConfig config) {
      processes = shared;
      startInProcess(config);
      startPubSubAndFirestoreClients();
      // Registered after the clients, so it runs before they close: the project's documents,
      // topics and subscriptions do not pile up in the shared emulators, test after test.
      closer.register(
          () -> {
            pubsub.deleteAll();
            firestore.deleteAll();
          });
    }

    private void startPubSubAndFirestoreClients() {
      pubsub = closer.register(new LocalPubSub(processes.pubsub().hostPort(), projectId));
      firestore = closer.register(new LocalFirestore(processes.firestore().hostPort(), projectId));
      startupTimes.putAll(processes.startupTimes());
    }

    RuntimeException stopAfter(Throwable failure) {
      try {
        closer.close();
      } catch (RuntimeException closeFailure) {
        failure.addSuppressed(closeFailure);
      }
      if (failure instanceof Error error) {
        throw error;
      }
      return (RuntimeException) failure;
    }

    private void startInProcess(LocalCloudConfig config) {
      // The HTTPS listener is for native gsutil (./batchdrop up prints its boto config); it takes
      // a free port, so the fixed port layout is unchanged, and its certificate lives as long as
      // this cloud.
      Path tls = closer.register(TemporaryDirectory.create("batchdrop-storage-tls")).path();
      StorageEmulatorConfig storageConfig =
          StorageEmulatorConfig.inMemory()
              .withPort(config.storagePort())
              .withHttps(0, tls.resolve("storage-ca.pem"));
      StorageEmulatorConfig withFiles =
          config.storageDirectory().map(storageConfig::withDirectory).orElse(storageConfig);
      storageEmulator = timed("storage", () -> closer.register(startStorageEmulator(withFiles)));
      storage =
          closer.register(
              StorageOptions.http()
                  .setHost(storageEmulator.baseUri().toString())
                  .setProjectId(projectId)
                  .setCredentials(NoCredentials.getInstance())
                  .build()
                  .getService());
      vertexEmulator =
          timed("vertex", () -> closer.register(startVertexEmulator(storage, config.vertexPort())));
      jobService = closer.register(jobServiceClient(vertexEmulator.endpoint()));
      geminiEmulator =
          timed("gemini", () -> closer.register(startGeminiEmulator(config.geminiPort())));
    }

    private static io.batchdrop.emulator.gemini.GeminiEmulator startGeminiEmulator(int port) {
      try {
        return io.batchdrop.emulator.gemini.GeminiEmulator.start(
            io.batchdrop.emulator.gemini.GeminiEmulatorConfig.immediate(GEMINI_API_KEY_VALUE)
                .withPort(port));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(
            "the Gemini API emulator did not start" + onPort(port) + ": " + e.getMessage(), e);
      }
    }

    private <T> T timed(String name, Supplier<T> start) {
      long started = System.nanoTime();
      T emulator = start.get();
      startupTimes.put(name, Duration.ofNanos(System.nanoTime() - started));
      return emulator;
    }

    /** " on 127.0.0.1:PORT" for a fixed port (a bind failure names no port), else nothing. */
    private static String onPort(int port) {
      return port == 0 ? "" : " on 127.0.0.1:" + port;
    }

    private static StorageEmulator startStorageEmulator(StorageEmulatorConfig config) {
      try {
        return StorageEmulator.start(config);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "the storage emulator did not start" + onPort(config.port()) + ": " + e.getMessage(),
            e);
      }
    }

    private static VertexEmulator startVertexEmulator(Storage storage, int port) {
      try {
        return VertexEmulator.start(VertexEmulatorConfig.immediate(storage).withPort(port));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(
            "the Vertex emulator did not start" + onPort(port) + ": " + e.getMessage(), e);
      }
    }

    private JobServiceClient jobServiceClient(String endpoint) {
      ManagedChannel channel = ManagedChannelBuilder.forTarget(endpoint).usePlaintext().build();
      closer.register(
          () -> {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
          });
      try {
        return JobServiceClient.create(
            JobServiceSettings.newBuilder()
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
