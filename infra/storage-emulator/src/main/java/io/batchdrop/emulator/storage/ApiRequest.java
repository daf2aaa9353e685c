package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** One HTTP request to the API: decoded path segments, query parameters, headers and body. */
final class ApiRequest {
  private static final Pattern HOST =
      Pattern.compile("[A-Za-z0-9.\\-]{1,253}(:\\d{1,5})?|\\[[0-9A-Fa-f:.]{2,45}](:\\d{1,5})?");

  private final HttpExchange exchange;
  private final List<String> segments;
  private final Map<String, String> query;

  ApiRequest(HttpExchange exchange) {
    this.exchange = exchange;
    this.segments = splitPath(exchange.getRequestURI().getRawPath());
    this.query = UrlCodec.parseQuery(exchange.getRequestURI().getRawQuery());
  }

  /**
   * The HTTP method, honouring {@code X-HTTP-Method-Override}: the Java client sends PATCH as a
   * POST with that header because HttpURLConnection cannot send PATCH.
   */
  String method() {
    String override = header("X-HTTP-Method-Override");
    if (override != null && exchange.getRequestMethod().equals("POST")) {
      return override.trim().toUpperCase(Locale.ROOT);
    }
    return exchange.getRequestMethod();
  }

  List<String> segments() {
    return segments;
  }

  String segment(int index) {
    return segments.get(index);
  }

  String param(String name) {
    return query.get(name);
  }

  Long longParam(String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw ApiException.invalid("Invalid value for " + name + ": " + value);
    }
  }

  String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /** The request body, decompressed if the client gzipped it. */
  InputStream body() throws IOException {
    InputStream raw = exchange.getRequestBody();
    String encoding = header("Content-Encoding");
    return encoding != null && encoding.trim().equalsIgnoreCase("gzip")
        ? new GZIPInputStream(raw)
        : raw;
  }

  /** The body as JSON; an empty body reads as a JSON null node. */
  JsonNode jsonBody(ObjectMapper mapper) throws IOException {
    byte[] bytes = body().readAllBytes();
    if (bytes.length == 0) {
      return mapper.nullNode();
    }
    try {
      return mapper.readTree(bytes);
    } catch (IOException e) {
      throw ApiException.invalid("the request body is not valid JSON");
    }
  }

  /**
   * Where links in answers should point: the scheme the request came in on plus its Host, as the
   * client reached us (through a proxy, a container port or 0.0.0.0); {@code fallback} without a
   * usable Host.
   */
  String linkBase(String fallback) {
    String host = header("Host");
    if (host == null || !HOST.matcher(host).matches()) {
      return fallback;
    }
    // A batch's inner requests share the outer exchange's context, so they link alike.
    boolean tls = exchange.getHttpContext().getServer() instanceof HttpsServer;
    return (tls ? "https://" : "http://") + host;
  }

  HttpExchange exchange() {
    return exchange;
  }

  /** Path segments, each percent-decoded on its own so an encoded '/' stays inside its segment. */
  private static List<String> splitPath(String rawPath) {
    List<String> result = new ArrayList<>();
    String path = rawPath == null ? "" : rawPath;
    int start = path.startsWith("/") ? 1 : 0;
    if (start >= path.length()) {
      return result;
    }
    for (String raw : path.substring(start).split("/", -1)) {
      result.add(UrlCodec.decodePathSegment(raw));
    }
    return result;
  }
}
