package io.batchdrop.cloud;

import com.google.api.gax.batching.BatchingSettings;
import com.google.api.gax.batching.FlowControlSettings;
import com.google.api.gax.batching.FlowController;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.TransportChannelProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.JobServiceSettings;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.pubsub.v1.TopicName;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.gemini.ApiKeys;
import io.batchdrop.cloud.gemini.GeminiApiBackend;
import io.batchdrop.cloud.gemini.RekeyingBackend;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.VertexBackend;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The official Google clients of one function instance, each built on first use and shared by every
 * request afterwards (a function instance may serve requests concurrently). Emulator endpoints come
 * from the configuration, the same path production takes with them unset.
 */
public final class CloudClients implements AutoCloseable {
  private final BatchdropConfig config;
  private final Lazy<Storage> storage;
  private final Lazy<Firestore> firestore;
  private final Lazy<JobServiceClient> jobService;
  private final Lazy<ManagedChannel> pubsubEmulatorChannel;
  private final Lazy<BatchBackend> vertex;
  private final Lazy<RekeyingBackend> geminiBackend;
  private final Backends backends;
  private final Map<String, Publisher> publishers = new ConcurrentHashMap<>();

  /**
   * Sized for throughput within the API's caps (1,000 messages and 10 MB per request; reference
   * §3), with blocking flow control so a fast reader can never fill the heap with unsent messages.
   * Public so the publish benchmark's floor (a bare publisher) uses exactly these settings. The
   * delay is the top of the reference's 10–50 ms: publish reads ~10,000 rows a second, so at 20 ms
   * its batches went out on the timer at ~200 messages while the floor's filled to 1,000; a
   * checkpoint forces its window's last batch out ({@code ResultPublisher#awaitConfirmed}), so the
   * delay never holds a checkpoint back.
   */
  public static final BatchingSettings PUBLISHER_BATCHING =
      BatchingSettings.newBuilder()
          .setElementCountThreshold(1000L)
          .setRequestByteThreshold(9_000_000L)
          .setDelayThresholdDuration(Duration.ofMillis(50))
          .setFlowControlSettings(
              FlowControlSettings.newBuilder()
                  .setMaxOutstandingElementCount(20_000L)
                  .setMaxOutstandingRequestBytes(64L << 20)
                  .setLimitExceededBehavior(FlowController.LimitExceededBehavior.Block)
                  .build())
          .build();

  public CloudClients(BatchdropConfig config) {
    this.config = config;
    this.storage = Lazy.of(this::newStorage);
    this.firestore = Lazy.of(this::newFirestore);
    this.jobService = Lazy.of(this::newJobService);
    this.vertex = Lazy.of(() -> new VertexBackend(jobService(), config));
    this.geminiBackend = Lazy.of(this::newGeminiBackend);
    Map<String, java.util.function.Supplier<BatchBackend>> known = new java.util.HashMap<>();
    for (String backend : config.backends().allowed()) {
      known.put(backend, Backends.VERTEX.equals(backend) ? vertex : geminiBackend::get);
    }
    // Jobs recorded before a backend left the allow-list still get polled and published.
    known.putIfAbsent(Backends.VERTEX, vertex);
    this.backends = new Backends(known);
    this.pubsubEmulatorChannel =
        Lazy.of(
            () ->
                ManagedChannelBuilder.forTarget(
                        config.endpoints().pubsubEmulatorHost().orElseThrow())
                    .usePlaintext()
                    .build());
  }

  public BatchdropConfig config() {
    return config;
  }

  public Storage storage() {
    return storage.get();
  }

  public Firestore firestore() {
    return firestore.get();
  }

  public JobServiceClient jobService() {
    return jobService.get();
  }

  /** The batch backends of this deployment, each built on first use. */
  public Backends backends() {
    return backends;
  }

  /** One creator per allowed backend, for {@code JobSubmission}. */
  public List<JobCreator> jobCreators(JobCreator.Backoff backoff, Clock clock) {
    List<JobCreator> creators = new ArrayList<>();
    for (String backend : config.backends().allowed()) {
      creators.add(new JobCreator(backends.get(backend), config, backoff, clock));
    }
    if (!config.backends().isAllowed(Backends.VERTEX)) {
      creators.add(new JobCreator(backends.get(Backends.VERTEX), config, backoff, clock));
    }
    return creators;
  }

  /** One batching publisher per topic id, kept for the life of the instance. */
  public Publisher publisher(String topicId) {
    return publishers.computeIfAbsent(topicId, this::newPublisher);
  }

  private Storage newStorage() {
    StorageOptions.Builder builder = StorageOptions.http().setProjectId(config.projectId());
    config
        .endpoints()
        .storageEmulatorHost()
        .ifPresent(host -> builder.setHost(host).setCredentials(NoCredentials.getInstance()));
    return builder.build().getService();
  }

  private Firestore newFirestore() {
    FirestoreOptions.Builder builder =
        FirestoreOptions.newBuilder().setProjectId(config.projectId());
    // The emulator's credentials given here too: with only the emulator host, the options still
    // look up Application Default Credentials, which pings the metadata server
    // (bench/coldstart.md).
    config
        .endpoints()
        .firestoreEmulatorHost()
        .ifPresent(
            host ->
                builder
                    .setEmulatorHost(host)
                    .setCredentials(new FirestoreOptions.EmulatorCredentials()));
    return builder.build().getService();
  }

  private Publisher newPublisher(String topicId) {
    try {
      Publisher.Builder builder =
          Publisher.newBuilder(TopicName.of(config.projectId(), topicId))
              .setBatchingSettings(PUBLISHER_BATCHING);
      if (config.endpoints().pubsubEmulatorHost().isPresent()) {
        builder
            .setChannelProvider(emulatorChannel())
            .setCredentialsProvider(NoCredentialsProvider.create());
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a publisher for topic " + topicId, e);
    }
  }

  private TransportChannelProvider emulatorChannel() {
    return FixedTransportChannelProvider.create(
        GrpcTransportChannel.create(pubsubEmulatorChannel.get()));
  }

  /**
   * The Java JobService client has no deadlines and no retries by default (reference §0.5). Reads
   * get a deadline and retries on UNAVAILABLE / DEADLINE_EXCEEDED; create gets a deadline only,
   * because it is not idempotent: the caller decides after reconciling by label.
   */
  private JobServiceClient newJobService() {
    try {
      JobServiceSettings.Builder builder = JobServiceSettings.newBuilder();
      String endpoint = config.vertexApiEndpoint();
      if (config.endpoints().vertexEndpoint().isPresent()) {
        builder
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(endpoint)
                    .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create());
      } else {
        builder.setEndpoint(endpoint);
      }
      Duration deadline = config.vertexRetry().callDeadline();
      RetrySettings once =
          RetrySettings.newBuilder()
              .setInitialRpcTimeoutDuration(deadline)
              .setMaxRpcTimeoutDuration(deadline)
              .setTotalTimeoutDuration(deadline)
              .setMaxAttempts(1)
              .build();
      RetrySettings reads =
          RetrySettings.newBuilder()
              .setInitialRpcTimeoutDuration(Duration.ofSeconds(10))
              .setMaxRpcTimeoutDuration(Duration.ofSeconds(10))
              .setTotalTimeoutDuration(deadline)
              .setMaxAttempts(4)
              .setInitialRetryDelayDuration(Duration.ofMillis(200))
              .setRetryDelayMultiplier(2.0)
              .setMaxRetryDelayDuration(Duration.ofSeconds(4))
              .build();
      builder.createBatchPredictionJobSettings().setRetrySettings(once).setRetryableCodes();
      builder.cancelBatchPredictionJobSettings().setRetrySettings(once).setRetryableCodes();
      builder
          .getBatchPredictionJobSettings()
          .setRetrySettings(reads)
          .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED);
      builder
          .listBatchPredictionJobsSettings()
          .setRetrySettings(reads)
          .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED);
      return JobServiceClient.create(builder.build());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Vertex AI JobService client", e);
    }
  }

  /**
   * The SDK with its own retries off: {@code JobCreator} decides about every create after a lookup,
   * and a create the SDK retried on a 5xx could make a second batch. Each call has a deadline.
   */
  private com.google.genai.Client newGeminiClient(BatchdropConfig.ApiKey key) {
    com.google.genai.types.HttpOptions.Builder http =
        com.google.genai.types.HttpOptions.builder()
            .apiVersion("v1beta")
            .timeout((int) config.vertexRetry().callDeadline().toMillis())
            .retryOptions(com.google.genai.types.HttpRetryOptions.builder().attempts(1).build());
    config.backends().geminiBaseUrl().ifPresent(http::baseUrl);
    return com.google.genai.Client.builder().apiKey(key.value()).httpOptions(http.build()).build();
  }

  /**
   * The key is read on first use, once, and again only after the service refuses it ({@link
   * RekeyingBackend}: a key rotated in the secret reaches a warm instance).
   */
  private RekeyingBackend newGeminiBackend() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    URI baseUrl =
        URI.create(
            config.backends().geminiBaseUrl().orElse("https://generativelanguage.googleapis.com"));
    RekeyingBackend backend =
        new RekeyingBackend(
            () -> ApiKeys.read(config.backends(), config.endpoints().secretManagerEndpoint()),
            key -> {
              com.google.genai.Client client = newGeminiClient(key);
              return new RekeyingBackend.Keyed(
                  key,
                  new GeminiApiBackend(
                      client, http, baseUrl, key, storage(), config, Clock.systemUTC()),
                  client);
            });
    backend.keyed(); // read now: a missing secret is the caller's configuration error at once
    return backend;
  }

  @Override
  public void close() throws Exception {
    for (Publisher publisher : publishers.values()) {
      publisher.shutdown();
      publisher.awaitTermination(30, TimeUnit.SECONDS);
    }
    // Only what was built: building a client just to close it would cost a cold start.
    if (jobService.ifBuilt().isPresent()) {
      jobService.get().close();
    }
    if (firestore.ifBuilt().isPresent()) {
      firestore.get().close();
    }
    pubsubEmulatorChannel.ifBuilt().ifPresent(ManagedChannel::shutdownNow);
    if (geminiBackend.ifBuilt().isPresent()) {
      geminiBackend.get().close();
    }
  }
}
