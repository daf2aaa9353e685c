package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.CopyRequest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FinalizeNotificationTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private static final AtomicInteger failuresToAnswer = new AtomicInteger();
  private static HttpServer receiver;
  private static EmulatedStorage emulated;
  private static Storage storage;

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/events",
        exchange -> {
          Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
          byte[] body = exchange.getRequestBody().readAllBytes();
          boolean fail = failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
          received.add(new Received(headers, MAPPER.readTree(body), fail ? 500 : 204));
          exchange.sendResponseHeaders(fail ? 500 : 204, -1);
          exchange.close();
        });
    receiver.start();
    // Eventarc's first redelivery comes after 10 s; here at once (FinalizeRetryTest has
    // Eventarc's).
    emulated =
        EmulatedStorage.start(
            StorageEmulatorConfig.inMemory()
                .withNotifications(
                    new DeliveryPolicy(
                        Duration.ofSeconds(30),
                        Duration.ofMillis(50),
                        Duration.ofMillis(50),
                        Duration.ofMinutes(1))));
    storage = emulated.storage();
  }

  @BeforeEach
  void freshBucketsAndTarget() {
    emulated.emulator().reset();
    received.clear();
    failuresToAnswer.set(0);
    storage.create(BucketInfo.of("inbox"));
    storage.create(BucketInfo.of("quiet"));
    emulated
        .emulator()
        .addNotification(
            "inbox", URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events"));
  }

  @AfterAll
  static void stop() {
    emulated.close();
    receiver.stop(0);
  }

  @Test
  void aFinishedUploadIsPostedAsABinaryModeFinalizeCloudEvent() throws Exception {
    Blob blob =
        storage.create(
            BlobInfo.newBuilder("inbox", "drop/requests 1.jsonl")
                .setContentType("application/jsonl")
                .setMetadata(Map.of("batchdrop-model", "gemini-2.5-flash"))
                .build(),
            "{}\n".getBytes(StandardCharsets.UTF_8));

    Received event = next();

    assertThat(event.headers())
        .containsEntry("ce-specversion", "1.0")
        .containsEntry("ce-type", "google.cloud.storage.object.v1.finalized")
        .containsEntry("ce-source", "//storage.googleapis.com/projects/_/buckets/inbox")
        .containsEntry("ce-subject", "objects/drop/requests 1.jsonl")
        .containsEntry("Content-Type", "application/json")
        .containsKeys("ce-id", "ce-time");
    JsonNode data = event.body();
    assertThat(data.path("kind").asText()).isEqualTo("storage#object");
    assertThat(data.path("bucket").asText()).isEqualTo("inbox");
    assertThat(data.path("name").asText()).isEqualTo("drop/requests 1.jsonl");
    assertThat(data.path("generation").isTextual()).isTrue();
    assertThat(data.path("generation").asLong()).isEqualTo(blob.getGeneration());
    assertThat(data.path("metageneration").asText()).isEqualTo("1");
    assertThat(data.path("size").asText()).isEqualTo("3");
    assertThat(data.path("contentType").asText()).isEqualTo("application/jsonl");
    assertThat(data.path("md5Hash").asText()).isEqualTo(blob.getMd5());
    assertThat(data.path("crc32c").asText()).isEqualTo(blob.getCrc32c());
    assertThat(data.path("metadata").path("batchdrop-model").asText())
        .isEqualTo("gemini-2.5-flash");
    assertThat(data.path("id").asText())
        .isEqualTo("inbox/drop/requests 1.jsonl/" + blob.getGeneration());
    assertThat(data.path("timeCreated").asText()).isNotBlank();
    assertThat(data.path("updated").asText()).isNotBlank();
  }

  @Test
  void aFailedDeliveryIsRetriedWithTheSameEventId() throws Exception {
    failuresToAnswer.set(1);

    storage.create(BlobInfo.newBuilder("inbox", "retried.jsonl").build(), new byte[] {1});

    Received first = next();
    Received retry = next();
    assertThat(first.status()).isEqualTo(500);
    assertThat(retry.status()).isEqualTo(204);
    assertThat(retry.headers().get("ce-id")).isEqualTo(first.headers().get("ce-id"));
    assertThat(retry.body()).isEqualTo(first.body());
  }

  @Test
  void resumableUploadsCopiesAndOnlyConfiguredBucketsNotify() throws Exception {
    storage.create(BlobInfo.newBuilder("quiet", "not-announced").build(), new byte[] {1});
    try (WriteChannel writer =
        storage.writer(BlobInfo.newBuilder("inbox", "resumable.bin").build())) {
      writer.write(ByteBuffer.wrap(new byte[1000]));
    }
    assertThat(next().headers()).containsEntry("ce-subject", "objects/resumable.bin");

    storage.copy(CopyRequest.of(BlobId.of("quiet", "not-announced"), BlobId.of("inbox", "copied")));
    assertThat(next().headers()).containsEntry("ce-subject", "objects/copied");

    emulated.emulator().removeNotifications();
    storage.create(BlobInfo.newBuilder("inbox", "after-removal").build(), new byte[] {1});
    // A marker upload to a fresh target proves later events would have arrived by now.
    HttpServer marker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> markerEvents = new LinkedBlockingQueue<>();
    marker.createContext(
        "/",
        exchange -> {
          markerEvents.add(exchange.getRequestHeaders().getFirst("ce-subject"));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    marker.start();
    try {
      emulated
          .emulator()
          .addNotification(
              "quiet", URI.create("http://127.0.0.1:" + marker.getAddress().getPort() + "/"));
      storage.create(BlobInfo.newBuilder("quiet", "marker").build(), new byte[] {1});
      assertThat(markerEvents.poll(10, TimeUnit.SECONDS)).isEqualTo("objects/marker");
    } finally {
      marker.stop(0);
    }
    assertThat(received).isEmpty();
  }

  private Received next() throws InterruptedException {
    Received event = received.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a notification within 10 s").isNotNull();
    return event;
  }

  private record Received(Map<String, String> headers, JsonNode body, int status) {}
}
