package io.batchdrop.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Pub/Sub-triggered function for {@link PubSubBridgeTest}, run on the real invoker: it reads each
 * event's {@code MessagePublishedData} with Jackson, appends what it saw as one JSON line to {@code
 * $RECORDING_FILE}, and then answers as the message's {@code answer} attribute says: {@code
 * fail-once} throws (HTTP 500) on a message's first delivery, {@code fail-always} on every one.
 */
public final class RecordingFunction implements CloudEventsFunction {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path recording = Path.of(System.getenv("RECORDING_FILE"));
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

  @Override
  public void accept(CloudEvent event) throws Exception {
    // Jackson, not JsonFormat: the snake_case duplicates make JsonFormat's parser throw.
    JsonNode data = JSON.readTree(event.getData().toBytes());
    JsonNode message = data.path("message");
    ObjectNode line = JSON.createObjectNode();
    line.put("id", event.getId());
    line.put("type", event.getType());
    line.put("source", event.getSource().toString());
    line.put("time", String.valueOf(event.getTime()));
    line.put("messageId", message.path("messageId").asText());
    line.put("publishTime", message.path("publishTime").asText());
    // Decoded and encoded again, so a bad base64 answers 500 instead of being passed on.
    line.put(
        "dataBase64",
        Base64.getEncoder()
            .encodeToString(Base64.getDecoder().decode(message.path("data").asText(""))));
    line.set(
        "attributes",
        message.path("attributes").isObject()
            ? message.path("attributes")
            : JSON.createObjectNode());
    line.put("subscription", data.path("subscription").asText());
    line.put("deliveryAttempt", data.path("deliveryAttempt").asInt());
    synchronized (this) {
      Files.writeString(
          recording,
          line + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    }
    String answer = message.path("attributes").path("answer").asText("ok");
    if (answer.equals("fail-always")
        || (answer.equals("fail-once") && failedOnce.add(event.getId()))) {
      throw new IllegalStateException("failing on purpose (" + answer + ")");
    }
  }
}
