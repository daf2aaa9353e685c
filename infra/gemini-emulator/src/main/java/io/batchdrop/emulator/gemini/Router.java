package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;

/**
 * Maps the API's paths to {@link FilesApi} and {@link BatchesApi}, checks the API key, and turns
 * failures into Google's error JSON. Only method and path are ever logged: never a key, never a
 * request body.
 */
final class Router implements HttpHandler {

  private static final System.Logger LOG = System.getLogger(Router.class.getName());
  private static final String V1BETA = "/v1beta/";

  private final GeminiKnobs knobs;
  private final FilesApi files;
  private final BatchesApi batches;
  private final ObjectMapper mapper;

  Router(GeminiKnobs knobs, FilesApi files, BatchesApi batches, ObjectMapper mapper) {
    this.knobs = knobs;
    this.files = files;
    this.batches = batches;
    this.mapper = mapper;
  }

  @Override
  public void handle(HttpExchange http) throws IOException {
    Exchange exchange = new Exchange(http);
    try {
      route(exchange);
    } catch (ApiError e) {
      error(http, e);
    } catch (WithheldAnswer e) {
      // The batch exists; closing the exchange before any header drops the connection, so the
      // caller learns nothing, as when an answer is lost on the way.
    } catch (RuntimeException | IOException e) {
      LOG.log(Level.ERROR, "request failed: " + exchange.method() + " " + exchange.path(), e);
      error(http, new ApiError(500, "INTERNAL", "Internal error.", Optional.empty()));
    } finally {
      http.close();
    }
  }

  private void route(Exchange exchange) throws IOException {
    String path = exchange.path();
    String method = exchange.method();
    if (path.equals("/upload/v1beta/files") && method.equals("POST")) {
      if (exchange.query("upload_id").isPresent()) {
        // The session id is the credential of a chunk, as on the real upload endpoint.
        files.chunk(exchange);
      } else {
        requireKey(exchange);
        files.start(exchange);
      }
      return;
    }
    requireKey(exchange);
    if (path.startsWith("/download/v1beta/files/") && method.equals("GET")) {
      files.download(exchange, path.substring("/download/v1beta/files/".length()));
      return;
    }
    if (!path.startsWith(V1BETA)) {
      throw unsupported(exchange);
    }
    String rest = path.substring(V1BETA.length());
    if (rest.equals("files") && method.equals("GET")) {
      files.list(exchange);
    } else if (rest.startsWith("files/")) {
      String id = rest.substring("files/".length());
      switch (method) {
        case "GET" -> {
          if (id.endsWith(":download")) {
            files.download(exchange, id);
          } else {
            files.get(exchange, id);
          }
        }
        case "DELETE" -> files.delete(exchange, id);
        default -> throw unsupported(exchange);
      }
    } else if (rest.startsWith("models/") && method.equals("POST")) {
      String call = rest.substring("models/".length());
      int colon = call.lastIndexOf(':');
      if (colon < 0) {
        throw unsupported(exchange);
      }
      String model = call.substring(0, colon);
      switch (call.substring(colon + 1)) {
        case "batchGenerateContent" -> batches.create(exchange, BatchKind.GENERATE, model);
        case "asyncBatchEmbedContent" -> batches.create(exchange, BatchKind.EMBED, model);
        default -> throw unsupported(exchange);
      }
    } else if (rest.equals("batches") && method.equals("GET")) {
      batches.list(exchange);
    } else if (rest.startsWith("batches/")) {
      String id = rest.substring("batches/".length());
      if (method.equals("POST") && id.endsWith(":cancel")) {
        batches.cancel(exchange, id.substring(0, id.length() - ":cancel".length()));
      } else if (method.equals("GET")) {
        batches.get(exchange, id);
      } else if (method.equals("DELETE")) {
        batches.delete(exchange, id);
      } else {
        throw unsupported(exchange);
      }
    } else {
      throw unsupported(exchange);
    }
  }

  private void requireKey(Exchange exchange) {
    Optional<String> key = exchange.header("x-goog-api-key").or(() -> exchange.query("key"));
    if (key.isEmpty() || key.get().isEmpty()) {
      throw ApiError.keyMissing();
    }
    if (!knobs.accepts(key.get())) {
      throw ApiError.keyInvalid();
    }
  }

  private ApiError unsupported(Exchange exchange) {
    LOG.log(Level.WARNING, "unsupported request: {0} {1}", exchange.method(), exchange.path());
    return new ApiError(
        404,
        "NOT_FOUND",
        "Not supported by the Gemini API emulator: " + exchange.method() + " " + exchange.path(),
        Optional.empty());
  }

  /** {"error": {"code", "message", "status", "details": [ErrorInfo]}}, as Google's APIs answer. */
  private void error(HttpExchange http, ApiError error) throws IOException {
    ObjectNode body = mapper.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("code", error.httpCode());
    inner.put("message", error.getMessage());
    inner.put("status", error.status());
    error
        .reason()
        .ifPresent(
            reason -> {
              ObjectNode info = inner.putArray("details").addObject();
              info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
              info.put("reason", reason);
              info.put("domain", "googleapis.com");
              info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            });
    json(http, error.httpCode(), body);
  }

  static void json(HttpExchange http, int status, JsonNode body, ObjectMapper mapper)
      throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    http.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    http.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Like {@link #json(HttpExchange, int, JsonNode, ObjectMapper)}, but after the headers and the
   * first bytes nothing comes for {@code stall}; the caller may have given up and closed by then.
   */
  static void stalledJson(
      HttpExchange http, int status, JsonNode body, ObjectMapper mapper, Duration stall)
      throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    http.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    http.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = http.getResponseBody()) {
      int first = bytes.length / 2;
      out.write(bytes, 0, first);
      out.flush();
      pause(stall);
      out.write(bytes, first, bytes.length - first);
    }
  }

  /** Sleeps: the stall is the behaviour being emulated, not a wait for something. */
  static void pause(Duration stall) {
    try {
      Thread.sleep(stall.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void json(HttpExchange http, int status, JsonNode body) throws IOException {
    json(http, status, body, mapper);
  }

  /** Thrown to end a request without any answer. */
  static final class WithheldAnswer extends RuntimeException {
    WithheldAnswer() {
      super("answer withheld", null, false, false);
    }
  }
}
