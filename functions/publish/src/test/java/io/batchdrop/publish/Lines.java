package io.batchdrop.publish;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Builds Vertex output lines the way Vertex writes them, and reads them back. */
final class Lines {

  private Lines() {}

  static String request(long row) {
    return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"question "
        + row
        + "\"}]}],\"labels\":{\"team\":\"a\",\"batchdrop_row\":\"row-"
        + row
        + "\"}}";
  }

  static String response(String text) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\""
        + text
        + "\"}]},\"finishReason\":\"STOP\",\"avgLogprobs\":-0.10}],"
        + "\"modelVersion\":\"gemini-2.5-flash@default\","
        + "\"usageMetadata\":{\"promptTokenCount\":264,\"candidatesTokenCount\":110,"
        + "\"totalTokenCount\":374}}";
  }

  /** A succeeded line in the notebook's order: status, processed_time, request, response. */
  static String succeeded(long row, String key, String response) {
    return "{\"status\":\"\",\"processed_time\":\"2024-11-13T14:04:28.376+00:00\",\"key\":\""
        + key
        + "\",\"request\":"
        + request(row)
        + ",\"response\":"
        + response
        + "}";
  }

  /** The same members with the response first and the request last. */
  static String succeededResponseFirst(long row, String key, String response) {
    return "{\"response\":"
        + response
        + ",\"key\":\""
        + key
        + "\",\"processed_time\":\"2024-11-13T14:04:28.376+00:00\",\"status\":\"\",\"request\":"
        + request(row)
        + "}";
  }

  static String failed(long row, String key, String status) {
    return "{\"status\":"
        + quote(status)
        + ",\"processed_time\":\"2024-11-13T14:04:28.376+00:00\",\"request\":"
        + request(row)
        + ",\"key\":\""
        + key
        + "\"}";
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static List<PredictionRow> readAll(byte[] file, long from, SpillTarget spill, int limit)
      throws IOException {
    List<PredictionRow> rows = new ArrayList<>();
    try (PredictionReader reader =
        new PredictionReader(
            new ByteArrayInputStream(file, (int) from, file.length - (int) from),
            from,
            spill,
            limit)) {
      for (PredictionRow r = reader.next(); r != null; r = reader.next()) {
        rows.add(r);
      }
    }
    return rows;
  }

  static List<PredictionRow> readAll(String file) throws IOException {
    return readAll(
        file.getBytes(UTF_8), 0, new MemorySpillTarget(), PredictionReader.DEFAULT_IN_MEMORY_LIMIT);
  }

  static PredictionRow readOne(String line) throws IOException {
    List<PredictionRow> rows = readAll(line + "\n");
    if (rows.size() != 1) {
      throw new AssertionError("expected one row, got " + rows);
    }
    return rows.get(0);
  }

  static String body(PredictionRow row) {
    return new String(row.response().toByteArray(), UTF_8);
  }

  static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(utf8(s));
  }
}
