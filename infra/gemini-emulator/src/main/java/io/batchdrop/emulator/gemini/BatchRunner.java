package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks a batch's input file when it is created (the real API refuses a bad file at once) and
 * answers its lines, in input order, into a responses file: {@code {"key":…, "response":…}} or
 * {@code {"key":…, "error":{code, message}}} (a {@code google.rpc.Status}).
 */
final class BatchRunner {

  private static final int GRPC_INVALID_ARGUMENT = 3;
  private static final int GRPC_RESOURCE_EXHAUSTED = 8;
  private static final int GRPC_INTERNAL = 13;

  private final ObjectMapper mapper;

  BatchRunner(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** The number of requests; throws the 400 the real create answers for a line it refuses. */
  long validate(StoredFile input) {
    AtomicLong lines = new AtomicLong();
    InputLines.forEach(
        input,
        mapper,
        line -> {
          long number = lines.incrementAndGet();
          if (line == null || !line.isObject() || !line.path("request").isObject()) {
            throw ApiError.invalid(
                "Invalid input file "
                    + input.name()
                    + ": line "
                    + number
                    + " is not a JSON object with a \"request\" object.");
          }
          if (RowMarker.in(line.get("request")).contains(RowMarker.IMPORT_ERROR)) {
            throw ApiError.invalid(
                "Invalid input file " + input.name() + ": line " + number + " was rejected.");
          }
        });
    if (lines.get() == 0) {
      throw ApiError.invalid("Invalid input file " + input.name() + ": it has no requests.");
    }
    return lines.get();
  }

  Result run(StoredFile input, BatchKind kind, String modelId, boolean firstAttempt) {
    FileBytes out = new FileBytes();
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    InputLines.forEach(
        input,
        mapper,
        line -> {
          JsonNode request = line.get("request");
          Set<RowMarker> markers = RowMarker.in(request);
          if (markers.contains(RowMarker.MISSING)
              || (firstAttempt && markers.contains(RowMarker.MISSING_ONCE))) {
            return;
          }
          ObjectNode row = mapper.createObjectNode();
          if (line.has("key")) {
            row.set("key", line.get("key"));
          }
          ObjectNode error = errorFor(markers, firstAttempt);
          if (error != null) {
            row.set("error", error);
            failed.incrementAndGet();
          } else {
            row.set(
                "response",
                kind == BatchKind.EMBED
                    ? EchoModel.embed(request)
                    : EchoModel.generate(request, modelId, markers));
            succeeded.incrementAndGet();
          }
          out.add(serialize(row));
        });
    return new Result(out, succeeded.get(), failed.get());
  }

  private ObjectNode errorFor(Set<RowMarker> markers, boolean firstAttempt) {
    if (markers.contains(RowMarker.FAIL_400)) {
      return error(GRPC_INVALID_ARGUMENT, "Request contains an invalid argument.");
    }
    if (markers.contains(RowMarker.FAIL_429)
        || (firstAttempt && markers.contains(RowMarker.FAIL_429_ONCE))) {
      return error(GRPC_RESOURCE_EXHAUSTED, "Resource has been exhausted (e.g. check quota).");
    }
    if (markers.contains(RowMarker.FAIL_500)) {
      return error(GRPC_INTERNAL, "An internal error has occurred.");
    }
    return null;
  }

  /**
   * A line's error is a {@code google.rpc.Status}, as the API reference types it: {@code code} a
   * {@code google.rpc.Code} value (not the HTTP status), {@code message}, no status name.
   */
  private ObjectNode error(int grpcCode, String message) {
    ObjectNode error = mapper.createObjectNode();
    error.put("code", grpcCode);
    error.put("message", message);
    return error;
  }

  private byte[] serialize(ObjectNode row) {
    try {
      return (mapper.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** The responses file's bytes and the counts for {@code batchStats}. */
  record Result(FileBytes output, long succeeded, long failed) {}
}
