package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.UploadFileConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The emulator on a clock the test moves, and the official SDK pointed at it through {@code
 * HttpOptions.baseUrl}, with retries off so a planned failure reaches the test at once.
 */
final class LocalGemini implements AutoCloseable {

  static final String KEY = "test-api-key";
  static final String MODEL = "gemini-2.5-flash";
  private static final ObjectMapper JSON = new ObjectMapper();

  final ManualClock clock = new ManualClock();
  final GeminiEmulator emulator;
  final Client client;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private LocalGemini(GeminiEmulatorConfig config) throws IOException {
    this.emulator = GeminiEmulator.start(config.withClock(clock));
    this.client = client(KEY);
  }

  static LocalGemini start() throws IOException {
    return new LocalGemini(GeminiEmulatorConfig.immediate(KEY));
  }

  static LocalGemini start(GeminiEmulatorConfig config) throws IOException {
    return new LocalGemini(config);
  }

  Client client(String apiKey) {
    return Client.builder()
        .apiKey(apiKey)
        .httpOptions(
            HttpOptions.builder()
                .baseUrl(emulator.baseUri().toString())
                .apiVersion("v1beta")
                .timeout(30_000)
                .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                .build())
        .build();
  }

  void reset() {
    emulator.reset();
  }

  /** Uploads the lines as a JSONL file through the SDK and answers its name. */
  String upload(List<String> lines) {
    byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return client
        .files
        .upload(bytes, UploadFileConfig.builder().mimeType("application/jsonl").build())
        .name()
        .orElseThrow();
  }

  BatchJob createBatch(String displayName, List<String> lines) {
    return client.batches.create(
        MODEL,
        BatchJobSource.builder().fileName(upload(lines)).build(),
        CreateBatchJobConfig.builder().displayName(displayName).build());
  }

  /** A file's bytes through the SDK's download. */
  byte[] download(String fileName) {
    try {
      Path target = Files.createTempFile("gemini-download", ".jsonl");
      try {
        client.files.download(fileName, target.toString(), null);
        return Files.readAllBytes(target);
      } finally {
        Files.deleteIfExists(target);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<JsonNode> responseLines(String fileName) {
    String text = new String(download(fileName), StandardCharsets.UTF_8);
    return text.lines().filter(line -> !line.isEmpty()).map(LocalGemini::parse).toList();
  }

  /** A raw call, to see the wire JSON the SDK hides. */
  HttpResponse<String> raw(String method, String pathAndQuery, String apiKey) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emulator.baseUri() + pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (apiKey != null) {
      request.header("x-goog-api-key", apiKey);
    }
    return send(request.build());
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonNode rawJson(String method, String pathAndQuery) {
    return parse(raw(method, pathAndQuery, KEY).body());
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String prompt(String key, String text) {
    return "{\"key\":\""
        + key
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + text
        + "\"}]}]}}";
  }

  @Override
  public void close() {
    client.close();
    emulator.close();
  }
}
