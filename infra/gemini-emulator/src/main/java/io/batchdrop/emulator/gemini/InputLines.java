package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** The lines of an input file, streamed, each parsed once. Blank lines are skipped. */
final class InputLines {

  private InputLines() {}

  /** A line's JSON, or null when it is not JSON at all. */
  static void forEach(StoredFile file, ObjectMapper mapper, Consumer<JsonNode> action) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(file.open(), StandardCharsets.UTF_8))) {
      String line;
      boolean first = true;
      while ((line = reader.readLine()) != null) {
        if (first && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        first = false;
        if (!line.isBlank()) {
          action.accept(parse(mapper, line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode parse(ObjectMapper mapper, String line) {
    try {
      return mapper.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
