package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Delivers {@code google.cloud.storage.object.v1.finalized} CloudEvents in binary mode to the
 * targets configured per bucket, the way Eventarc does: asynchronously, at least once, each POST
 * given the {@link DeliveryPolicy}'s deadline (the function's timeout), retried with its
 * exponential backoff while the target fails or is unreachable, until its retention after the
 * upload has passed. A retry carries the same {@code ce-id}, so receivers can deduplicate.
 */
final class FinalizeNotifier implements AutoCloseable {
  static final String EVENT_TYPE = "google.cloud.storage.object.v1.finalized";
  private static final System.Logger LOG = System.getLogger(FinalizeNotifier.class.getName());

  private final ObjectJson json;
  private final ObjectMapper mapper;
  private final DeliveryPolicy policy;
  private final Map<String, List<URI>> targets = new ConcurrentHashMap<>();
  private final RetryTimer timer;
  private final ExecutorService httpExecutor;
  private final HttpClient http;

  FinalizeNotifier(ObjectJson json, ObjectMapper mapper, DeliveryPolicy policy, RetryTimer timer) {
    this.json = json;
    this.mapper = mapper;
    this.policy = policy;
    this.timer = timer;
    this.httpExecutor =
        Executors.newCachedThreadPool(DaemonThreads.named("storage-emulator-notify"));
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(httpExecutor)
            .build();
  }

  void add(String bucket, URI target) {
    targets.computeIfAbsent(bucket, b -> new CopyOnWriteArrayList<>()).add(target);
  }

  void clear() {
    targets.clear();
  }

  /** Queues one event per target of the object's bucket; returns at once. */
  void finalized(ObjectMeta meta) {
    List<URI> bucketTargets = targets.get(meta.key().bucket());
    if (bucketTargets == null || bucketTargets.isEmpty()) {
      return;
    }
    byte[] body;
    try {
      body = mapper.writeValueAsBytes(json.resource(meta));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an object resource is always serializable", e);
    }
    Instant uploaded = timer.now();
    for (URI target : bucketTargets) {
      Delivery delivery =
          new Delivery(meta.key().bucket(), target, event(meta, target, body), uploaded);
      timer.schedule(() -> attempt(delivery, 1), Duration.ZERO);
    }
  }

  @Override
  public void close() {
    timer.close();
    httpExecutor.shutdownNow();
  }

  /** The POST of one finalize event, given the policy's deadline. */
  HttpRequest event(ObjectMeta meta, URI target, byte[] body) {
    return HttpRequest.newBuilder(target)
        .timeout(policy.deadline())
        .header("Content-Type", "application/json")
        .header("ce-specversion", "1.0")
        .header("ce-id", UUID.randomUUID().toString())
        .header("ce-type", EVENT_TYPE)
        .header("ce-source", "//storage.googleapis.com/projects/_/buckets/" + meta.key().bucket())
        .header("ce-subject", "objects/" + meta.key().name())
        .header("ce-time", Rfc3339.format(meta.updated()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private void attempt(Delivery delivery, int attempt) {
    // A target removed (a trigger deleted) takes its undelivered events with it, as Eventarc's
    // subscription does: with a day of retries, they would otherwise reach whatever listens there
    // next.
    if (timer.closed()
        || !targets.getOrDefault(delivery.bucket(), List.of()).contains(delivery.target())) {
      return;
    }
    http.sendAsync(delivery.request(), HttpResponse.BodyHandlers.discarding())
        .whenComplete(
            (response, failure) -> {
              if (failure == null && response.statusCode() / 100 == 2) {
                return;
              }
              String outcome =
                  failure == null ? "HTTP " + response.statusCode() : failure.toString();
              Duration sinceUpload = Duration.between(delivery.uploaded(), timer.now());
              Optional<Duration> retry = policy.retryAfter(attempt, sinceUpload);
              if (retry.isEmpty()) {
                LOG.log(
                    Level.WARNING,
                    "giving up on event {0} for {1} to {2} after {3} attempts in {4}, the"
                        + " retention being {5}; last outcome: {6}",
                    delivery.id(),
                    delivery.subject(),
                    delivery.target(),
                    attempt,
                    sinceUpload,
                    policy.retention(),
                    outcome);
                return;
              }
              LOG.log(
                  Level.DEBUG,
                  "event {0} to {1} failed ({2}); retrying in {3}",
                  delivery.id(),
                  delivery.target(),
                  outcome,
                  retry.get());
              timer.schedule(() -> attempt(delivery, attempt + 1), retry.get());
            });
  }

  private record Delivery(String bucket, URI target, HttpRequest request, Instant uploaded) {
    String id() {
      return request.headers().firstValue("ce-id").orElse("?");
    }

    String subject() {
      return request.headers().firstValue("ce-subject").orElse("?");
    }
  }
}
