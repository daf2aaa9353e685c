package io.batchdrop.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.SplittableRandom;

/**
 * Realistic Gemini batch lines for the benchmark, the same for the same seed: multi-turn text
 * conversations, some {@code fileData} parts, {@code systemInstruction}, {@code generationConfig}
 * (sometimes with a JSON response schema), some user keys, some snake_case lines and some non-ASCII
 * text; each line 2–4 KB. Every line is valid, and every key path keeps one JSON type across lines
 * (a Vertex importer rule).
 */
public final class SyntheticRequests {
  public static final int MIN_LINE_BYTES = 2048;
  public static final int MAX_LINE_BYTES = 4096;

  private static final String[] MEDIA = {
    "image/jpeg", "images/photo-%05d.jpg",
    "image/png", "screenshots/screen-%05d.png",
    "application/pdf", "docs/invoice-%05d.pdf",
    "video/mp4", "videos/clip-%05d.mp4",
    "audio/mpeg", "audio/call-%05d.mp3",
  };
  private static final String[] SYSTEM = {
    "You are a careful assistant for a customer support team. Answer briefly and cite the order number.",
    "You are a translator. Keep the tone and the formatting of the original text.",
    "You summarize documents for busy readers: three bullet points, then one sentence of advice.",
    "Vous êtes un assistant qui répond en français, de façon concise et polie.",
    "你是一个乐于助人的助手，请用简体中文回答。",
  };

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;
  private final SplittableRandom random;
  private final Words words;
  private long lineNumber;

  public SyntheticRequests(long seed) {
    this.random = new SplittableRandom(seed);
    this.words = new Words(random);
  }

  /**
   * Writes lines (each ending with '\n') until at least {@code minBytes} are written; returns the
   * bytes written.
   */
  public long write(OutputStream out, long minBytes) throws IOException {
    long written = 0;
    while (written < minBytes) {
      byte[] line = nextLine();
      out.write(line);
      out.write('\n');
      written += line.length + 1;
    }
    return written;
  }

  /** The next line, without its line terminator. */
  public byte[] nextLine() throws IOException {
    lineNumber++;
    // Filling text stops at a word boundary, up to ~50 bytes short of the target: aim that much
    // higher.
    int target = MIN_LINE_BYTES + 64 + random.nextInt(MAX_LINE_BYTES - MIN_LINE_BYTES - 64 + 1);
    while (true) {
      boolean snake = random.nextInt(20) == 0;
      ObjectNode line = nodes.objectNode();
      if (random.nextInt(10) < 3) {
        line.put("key", String.format("order-%07d", lineNumber));
      }
      ObjectNode request = line.putObject("request");
      ArrayNode contents = request.putArray("contents");
      int turns = 1 + 2 * random.nextInt(3);
      ObjectNode lastText = null;
      for (int turn = 0; turn < turns; turn++) {
        boolean user = turn % 2 == 0;
        ObjectNode content = contents.addObject();
        content.put("role", user ? "user" : "model");
        ArrayNode parts = content.putArray("parts");
        if (user && random.nextInt(100) < 15) {
          addFile(parts.addObject(), snake);
        }
        lastText = parts.addObject().put("text", words.text(80 + random.nextInt(420)));
      }
      if (random.nextInt(10) < 6) {
        ObjectNode system = request.putObject(snake ? "system_instruction" : "systemInstruction");
        system.putArray("parts").addObject().put("text", SYSTEM[random.nextInt(SYSTEM.length)]);
      }
      if (random.nextInt(10) < 9) {
        addGenerationConfig(
            request.putObject(snake ? "generation_config" : "generationConfig"), snake);
      }
      int room = target - mapper.writeValueAsBytes(line).length;
      if (room < 40) {
        continue; // this draw is too long for the target size: draw another shape
      }
      lastText.put("text", lastText.get("text").asText() + " " + words.text(room - 1));
      byte[] bytes = mapper.writeValueAsBytes(line);
      if (bytes.length >= MIN_LINE_BYTES && bytes.length <= MAX_LINE_BYTES) {
        return bytes;
      }
    }
  }

  private void addFile(ObjectNode part, boolean snake) {
    int kind = random.nextInt(MEDIA.length / 2);
    ObjectNode file = part.putObject(snake ? "file_data" : "fileData");
    file.put(
        snake ? "file_uri" : "fileUri",
        "gs://bench-media-bucket/" + String.format(MEDIA[2 * kind + 1], random.nextInt(100_000)));
    file.put(snake ? "mime_type" : "mimeType", MEDIA[2 * kind]);
  }

  private void addGenerationConfig(ObjectNode config, boolean snake) {
    // Always written as decimals (1.0, never 1), so the JSON type of each path never changes.
    config.put("temperature", Math.round(random.nextDouble(0.0, 1.5) * 100) / 100.0);
    config.put(snake ? "top_p" : "topP", Math.round(random.nextDouble(0.8, 1.0) * 100) / 100.0);
    config.put(snake ? "max_output_tokens" : "maxOutputTokens", 256 * (1 + random.nextInt(32)));
    if (random.nextInt(5) == 0) {
      config.put(snake ? "response_mime_type" : "responseMimeType", "application/json");
      ObjectNode schema = config.putObject(snake ? "response_schema" : "responseSchema");
      schema.put("type", "OBJECT");
      ObjectNode properties = schema.putObject("properties");
      properties.putObject("summary").put("type", "STRING");
      ObjectNode sentiment = properties.putObject("sentiment").put("type", "STRING");
      sentiment.putArray("enum").add("positive").add("neutral").add("negative");
      properties.putObject("score").put("type", "NUMBER");
      properties.putObject("topics").put("type", "ARRAY").putObject("items").put("type", "STRING");
      schema.putArray("required").add("summary").add("sentiment");
    }
  }
}
