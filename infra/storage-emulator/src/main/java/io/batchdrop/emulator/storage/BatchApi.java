package io.batchdrop.emulator.storage;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /batch/storage/v1}: a {@code multipart/mixed} body of HTTP requests (the client's
 * {@code storage.delete(BlobId...)}, {@code get(BlobId...)}, {@code update(BlobInfo...)}), each
 * handled like a request of its own and answered in the same order.
 */
final class BatchApi {
  private static final int MAX_REQUESTS = 100;
  private static final Map<Integer, String> REASONS =
      Map.ofEntries(
          Map.entry(200, "OK"),
          Map.entry(204, "No Content"),
          Map.entry(206, "Partial Content"),
          Map.entry(304, "Not Modified"),
          Map.entry(400, "Bad Request"),
          Map.entry(404, "Not Found"),
          Map.entry(409, "Conflict"),
          Map.entry(412, "Precondition Failed"),
          Map.entry(416, "Requested Range Not Satisfiable"),
          Map.entry(500, "Internal Server Error"));

  private final HttpHandler router;

  BatchApi(HttpHandler router) {
    this.router = router;
  }

  void batch(ApiRequest request) throws IOException {
    MultipartReader reader =
        new MultipartReader(
            request.body(), MultipartReader.boundaryOf(request.header("Content-Type")));
    String boundary = "batch_" + UUID.randomUUID().toString().replace("-", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int count = 0;
    for (MultipartReader.Part part = reader.next(); part != null; part = reader.next()) {
      if (++count > MAX_REQUESTS) {
        throw ApiException.invalid("A batch may hold at most " + MAX_REQUESTS + " requests");
      }
      BufferedExchange inner = innerExchange(request.exchange(), part.body());
      router.handle(inner);
      writePart(out, boundary, part.headers().get("content-id"), inner);
    }
    out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    HttpExchange exchange = request.exchange();
    exchange.getResponseHeaders().set("Content-Type", "multipart/mixed; boundary=" + boundary);
    byte[] bytes = out.toByteArray();
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(bytes);
    }
  }

  /** Parses "METHOD URL HTTP/1.1", header lines, a blank line and the body of one part. */
  private static BufferedExchange innerExchange(HttpExchange outer, InputStream part)
      throws IOException {
    String requestLine = readLine(part);
    String[] words = requestLine.split(" ");
    if (words.length < 2) {
      throw ApiException.invalid("Malformed request in batch: " + requestLine);
    }
    Headers headers = new Headers();
    for (String line = readLine(part); !line.isEmpty(); line = readLine(part)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    String outerHost = outer.getRequestHeaders().getFirst("Host");
    if (!headers.containsKey("Host") && outerHost != null) {
      headers.set("Host", outerHost); // links in inner answers point where the batch went
    }
    URI target = URI.create(words[1]);
    URI pathAndQuery =
        URI.create(
            target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()));
    return new BufferedExchange(outer, words[0], pathAndQuery, headers, part.readAllBytes());
  }

  private static void writePart(
      OutputStream out, String boundary, String contentId, BufferedExchange inner)
      throws IOException {
    byte[] body = inner.responseBytes();
    int status = inner.getResponseCode() == -1 ? 500 : inner.getResponseCode();
    StringBuilder head = new StringBuilder();
    head.append("--").append(boundary).append("\r\n");
    head.append("Content-Type: application/http\r\n");
    if (contentId != null) {
      head.append("Content-ID: response-").append(contentId).append("\r\n");
    }
    head.append("\r\n");
    head.append("HTTP/1.1 ")
        .append(status)
        .append(' ')
        .append(REASONS.getOrDefault(status, "Status"))
        .append("\r\n");
    for (Map.Entry<String, List<String>> header : inner.getResponseHeaders().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("Content-Length")) {
        for (String value : header.getValue()) {
          head.append(header.getKey()).append(": ").append(value).append("\r\n");
        }
      }
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
