package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Writes JSON resources, Google-shaped errors, empty answers and streamed media. */
final class ResponseWriter {
  private final ObjectMapper mapper;

  ResponseWriter(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** {"error":{"code":..,"message":..,"errors":[{"reason":..,"message":..,"domain":"global"}]}} */
  void error(HttpExchange exchange, ApiException error) throws IOException {
    if (error.status() == 304) {
      empty(exchange, 304);
      return;
    }
    ObjectNode body = mapper.createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("code", error.status());
    inner.put("message", error.getMessage());
    ObjectNode detail = inner.putArray("errors").addObject();
    detail.put("reason", error.reason());
    detail.put("message", error.getMessage());
    detail.put("domain", "global");
    json(exchange, error.status(), body);
  }

  void empty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  /** A body of unknown length (transcoded content), sent chunked. */
  void chunked(HttpExchange exchange, int status, InputStream content) throws IOException {
    try (InputStream in = content) {
      exchange.sendResponseHeaders(status, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        in.transferTo(out);
      }
    }
  }

  void stream(HttpExchange exchange, int status, long length, InputStream content)
      throws IOException {
    try (InputStream in = content) {
      if (length == 0) {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
        return;
      }
      exchange.sendResponseHeaders(status, length);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = new byte[64 * 1024];
        long remaining = length;
        while (remaining > 0) {
          int read = in.read(chunk, 0, (int) Math.min(chunk.length, remaining));
          if (read < 0) {
            throw new IOException("object content ended early");
          }
          out.write(chunk, 0, read);
          remaining -= read;
        }
      }
    }
  }
}
