package io.batchdrop.emulator.gemini;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One request: method, path, query parameters, headers and a size-limited body. */
final class Exchange {

  private final HttpExchange http;
  private final String path;
  private final Map<String, String> query = new LinkedHashMap<>();

  Exchange(HttpExchange http) {
    this.http = http;
    this.path = http.getRequestURI().getRawPath();
    String raw = http.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.putIfAbsent(decode(name), decode(value));
      }
    }
  }

  HttpExchange http() {
    return http;
  }

  String method() {
    return http.getRequestMethod();
  }

  String path() {
    return path;
  }

  Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name));
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(http.getRequestHeaders().getFirst(name));
  }

  /** The body, refused with 400 when longer than {@code limit} bytes. */
  byte[] body(long limit) throws IOException {
    try (InputStream in = http.getRequestBody()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
      if (body.length > limit) {
        throw ApiError.invalid("The request body is larger than " + limit + " bytes.");
      }
      return body;
    }
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
