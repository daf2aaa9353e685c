package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** Turns one input line into its output row in Vertex's format (reference §2.3). */
final class RowPredictor {

  private static final Set<String> OUTPUT_MEMBERS =
      Set.of("status", "processed_time", "request", "response");

  private final ObjectMapper mapper;
  private final EchoModel model = new EchoModel();
  private final String modelId;
  private final boolean firstAttempt;
  private final int hugeResponseChars;

  /**
   * @param firstAttempt whether the job is a first attempt, where the {@code -once} markers bite
   * @param hugeResponseChars the length of a {@link RowMarker#HUGE_RESPONSE} answer
   */
  RowPredictor(ObjectMapper mapper, String modelId, boolean firstAttempt, int hugeResponseChars) {
    this.mapper = mapper;
    this.modelId = modelId;
    this.firstAttempt = firstAttempt;
    this.hugeResponseChars = hugeResponseChars;
  }

  RowOutcome predict(String line, Instant processedAt) {
    ObjectNode row = mapper.createObjectNode();
    row.put("status", "");
    row.put("processed_time", Times.processedTime(processedAt));
    JsonNode input = parse(line);
    if (input == null || !input.isObject()) {
      return fail(
          row,
          RowError.badRequest("Invalid JSON payload received. Each line must be a JSON object."));
    }
    copySiblings((ObjectNode) input, row);
    JsonNode request = input.get("request");
    if (request == null || !request.isObject()) {
      return fail(
          row,
          RowError.badRequest(
              "Invalid JSON payload received. The line has no \"request\" object."));
    }
    row.set("request", request);
    Set<RowMarker> markers = RowMarker.in(request);
    if (markers.contains(RowMarker.MISSING)
        || (firstAttempt && markers.contains(RowMarker.MISSING_ONCE))) {
      return RowOutcome.missing();
    }
    if (markers.contains(RowMarker.FAIL_400)) {
      return fail(row, RowError.badRequest("Request contains an invalid argument."));
    }
    if (markers.contains(RowMarker.FAIL_429)
        || (firstAttempt && markers.contains(RowMarker.FAIL_429_ONCE))) {
      return fail(row, RowError.resourceExhausted(modelId));
    }
    if (markers.contains(RowMarker.FAIL_500)) {
      return fail(row, RowError.internal());
    }
    JsonNode contents = request.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      return fail(
          row,
          RowError.badRequest("Unable to submit request because it has an empty contents field."));
    }
    row.set("response", model.respond(request, modelId, markers, hugeResponseChars));
    return RowOutcome.succeeded(row);
  }

  /**
   * Top-level members beside {@code request} (a user's {@code key}, {@code custom_id}...) come back
   * as they were.
   */
  private static void copySiblings(ObjectNode input, ObjectNode row) {
    for (Map.Entry<String, JsonNode> member : input.properties()) {
      if (!OUTPUT_MEMBERS.contains(member.getKey())) {
        row.set(member.getKey(), member.getValue());
      }
    }
  }

  private static RowOutcome fail(ObjectNode row, RowError error) {
    row.put("status", error.statusText());
    return RowOutcome.failed(row);
  }

  private JsonNode parse(String line) {
    try {
      return mapper.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
