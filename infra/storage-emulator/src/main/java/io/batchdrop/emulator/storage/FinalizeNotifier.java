package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivers {@code google.cloud.storage.object.v1.finalized} CloudEvents in binary mode to the
 * targets configured per bucket, the way Eventarc does: asynchronously, at least once, retried with
 * exponential backoff while the target fails or is unreachable. A retry carries the same {@code
 * ce-id}, so receivers can deduplicate.
 */
final class FinalizeNotifier implements AutoCloseable {
  static final String EVENT_TYPE = "google.cloud.storage.object.v1.finalized";
  private static final System.Logger LOG = System.getLogger(FinalizeNotifier.class.getName());
  private static final Duration MAX_DELAY = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final ObjectJson json;
  private final ObjectMapper mapper;
  private final Duration baseDelay;
  private final int maxAttempts;
  private final Map<String, List<URI>> targets = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;
  private final ExecutorService httpExecutor;
  private final HttpClient http;

  FinalizeNotifier(ObjectJson json, ObjectMapper mapper, Duration baseDelay, int maxAttempts) {
    this.json = json;
    this.mapper = mapper;
    this.baseDelay = baseDelay;
    this.maxAttempts = maxAttempts;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("storage-emulator-notify-timer"));
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
    for (URI target : bucketTargets) {
      Delivery delivery = new Delivery(target, event(meta, target, body));
      schedule(() -> attempt(delivery, 1), Duration.ZERO);
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    httpExecutor.shutdownNow();
  }

  private HttpRequest event(ObjectMeta meta, URI target, byte[] body) {
    return HttpRequest.newBuilder(target)
        .timeout(REQUEST_TIMEOUT)
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
    if (scheduler.isShutdown()) {
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
              if (attempt >= maxAttempts) {
                LOG.log(
                    Level.WARNING,
                    "giving up on event {0} for {1} to {2} after {3} attempts; last outcome: {4}",
                    delivery.id(),
                    delivery.subject(),
                    delivery.target(),
                    attempt,
                    outcome);
                return;
              }
              LOG.log(
                  Level.DEBUG,
                  "event {0} to {1} failed ({2}); retrying",
                  delivery.id(),
                  delivery.target(),
                  outcome);
              schedule(() -> attempt(delivery, attempt + 1), delayBefore(attempt + 1));
            });
  }

  /** base, 2×base, 4×base, ... capped at 30 s (or base, if that is longer). */
  private Duration delayBefore(int attempt) {
    Duration cap = baseDelay.compareTo(MAX_DELAY) > 0 ? baseDelay : MAX_DELAY;
    int doublings = Math.min(attempt - 2, 30);
    Duration delay = baseDelay.multipliedBy(1L << doublings);
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  private void schedule(Runnable task, Duration delay) {
    try {
      scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // The emulator is closing; undelivered events go with it.
    }
  }

  private record Delivery(URI target, HttpRequest request) {
    String id() {
      return request.headers().firstValue("ce-id").orElse("?");
    }

    String subject() {
      return request.headers().firstValue("ce-subject").orElse("?");
    }
  }
}
