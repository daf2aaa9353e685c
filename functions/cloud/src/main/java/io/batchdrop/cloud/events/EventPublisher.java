package io.batchdrop.cloud.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes lifecycle events as JSON in CloudEvents form, with {@code type}, {@code run_id} and
 * {@code job_id} attributes so subscribers can filter without parsing. Delivery is at least once;
 * {@code id} is fresh per publish, subscribers dedupe on type + run + job.
 */
public final class EventPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Publisher publisher;
  private final Clock clock;

  public EventPublisher(Publisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Publishes and waits for the server's acknowledgement: the caller's next step depends on it. */
  public void publish(LifecycleEvent event) {
    String runId = event.runId();
    ApiFuture<String> future = publisher.publish(message(event));
    try {
      future.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing " + event.type(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not publish " + event.type() + " for run " + runId, e);
    }
  }

  /**
   * Publishes an event recorded earlier in an outbox ({@link EventOutbox}) with the id and time it
   * was recorded with, so every resend of it is the same CloudEvent, and waits for the server.
   */
  public void publishRecorded(EventOutbox.Entry entry) {
    ApiFuture<String> future =
        publisher.publish(
            message(
                entry.id(),
                entry.type(),
                entry.runId(),
                entry.jobId(),
                entry.time(),
                parse(entry.data())));
    try {
      future.get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted publishing " + entry.type(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not publish " + entry.type() + " for run " + entry.runId(), e);
    }
  }

  static String dataOf(LifecycleEvent event) {
    return JSON.valueToTree(event).toString();
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String data) {
    try {
      return JSON.readTree(data);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a recorded event is JSON written by dataOf", e);
    }
  }

  PubsubMessage message(LifecycleEvent event) {
    return message(
        UUID.randomUUID().toString(),
        event.type(),
        event.runId(),
        event.jobId(),
        clock.instant().toString(),
        JSON.valueToTree(event));
  }

  private static PubsubMessage message(
      String id,
      String type,
      String runId,
      String jobId,
      String time,
      com.fasterxml.jackson.databind.JsonNode data) {
    ObjectNode envelope =
        JSON.createObjectNode()
            .put("specversion", "1.0")
            .put("id", id)
            .put("type", type)
            .put("source", "batchdrop/runs/" + runId + (jobId == null ? "" : "/jobs/" + jobId))
            .put("subject", runId)
            .put("time", time)
            .put("datacontenttype", "application/json");
    envelope.set("data", data);
    PubsubMessage.Builder message =
        PubsubMessage.newBuilder()
            .setData(ByteString.copyFromUtf8(envelope.toString()))
            .putAttributes("type", type)
            .putAttributes("run_id", runId);
    if (jobId != null) {
      message.putAttributes("job_id", jobId);
    }
    return message.build();
  }
}
