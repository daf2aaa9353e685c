package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Files API: the resumable upload protocol ({@code X-Goog-Upload-*}: start, upload, finalize,
 * query), get, list, delete and download (whole or a byte range).
 */
final class FilesApi {

  /** Non-final chunks must be a multiple of this, as the real upload server announces. */
  static final int CHUNK_GRANULARITY = 256 * 1024;

  private static final long MAX_JSON_BODY = 1024 * 1024;

  private final FileStore store;
  private final ResourceJson json;
  private final ObjectMapper mapper;
  private final URI baseUri;
  private final GeminiKnobs knobs;

  FilesApi(
      FileStore store, ResourceJson json, ObjectMapper mapper, URI baseUri, GeminiKnobs knobs) {
    this.store = store;
    this.json = json;
    this.mapper = mapper;
    this.baseUri = baseUri;
    this.knobs = knobs;
  }

  void start(Exchange exchange) throws IOException {
    String protocol = exchange.header("X-Goog-Upload-Protocol").orElse("");
    String command = exchange.header("X-Goog-Upload-Command").orElse("");
    if (!protocol.equalsIgnoreCase("resumable") || !command.equalsIgnoreCase("start")) {
      throw ApiError.invalid(
          "Expected X-Goog-Upload-Protocol: resumable and X-Goog-Upload-Command: start; the"
              + " emulator supports only resumable uploads.");
    }
    byte[] body = exchange.body(MAX_JSON_BODY);
    JsonNode file = body.length == 0 ? mapper.createObjectNode() : readJson(body).path("file");
    String mimeType =
        exchange
            .header("X-Goog-Upload-Header-Content-Type")
            .or(() -> text(file, "mimeType"))
            .orElseThrow(
                () ->
                    ApiError.invalid(
                        "A mime type is required: X-Goog-Upload-Header-Content-Type or"
                            + " file.mimeType."));
    long size =
        exchange
            .header("X-Goog-Upload-Header-Content-Length")
            .map(FilesApi::parseLength)
            .orElseThrow(
                () -> ApiError.invalid("X-Goog-Upload-Header-Content-Length is required."));
    UploadSession session = store.startUpload(text(file, "displayName"), mimeType, size);
    HttpExchange http = exchange.http();
    String url =
        baseUri + "/upload/v1beta/files?upload_id=" + session.id() + "&upload_protocol=resumable";
    http.getResponseHeaders().set("X-Goog-Upload-Status", "active");
    http.getResponseHeaders().set("X-Goog-Upload-URL", url);
    http.getResponseHeaders().set("X-Goog-Upload-Control-URL", url);
    http.getResponseHeaders()
        .set("X-Goog-Upload-Chunk-Granularity", Integer.toString(CHUNK_GRANULARITY));
    http.sendResponseHeaders(200, -1);
  }

  void chunk(Exchange exchange) throws IOException {
    UploadSession session =
        store
            .upload(exchange.query("upload_id").orElseThrow())
            .orElseThrow(
                () -> new ApiError(404, "NOT_FOUND", "No such upload session.", Optional.empty()));
    List<String> commands =
        List.of(
            exchange
                .header("X-Goog-Upload-Command")
                .orElse("")
                .toLowerCase(Locale.ROOT)
                .replace(" ", "")
                .split(","));
    HttpExchange http = exchange.http();
    if (commands.contains("query")) {
      http.getResponseHeaders().set("X-Goog-Upload-Status", "active");
      http.getResponseHeaders()
          .set("X-Goog-Upload-Size-Received", Long.toString(session.received()));
      http.sendResponseHeaders(200, -1);
      return;
    }
    boolean upload = commands.contains("upload");
    boolean finalize = commands.contains("finalize");
    if (!upload && !finalize) {
      throw ApiError.invalid(
          "X-Goog-Upload-Command must be upload, finalize, \"upload, finalize\" or query.");
    }
    if (upload) {
      long offset =
          exchange
              .header("X-Goog-Upload-Offset")
              .map(FilesApi::parseLength)
              .orElseThrow(() -> ApiError.invalid("X-Goog-Upload-Offset is required."));
      byte[] chunk = exchange.body(session.remaining());
      if (!finalize && chunk.length % CHUNK_GRANULARITY != 0) {
        throw ApiError.invalid(
            "A chunk that does not finalize must be a multiple of "
                + CHUNK_GRANULARITY
                + " bytes; this one has "
                + chunk.length
                + ".");
      }
      session.append(offset, chunk);
    }
    if (!finalize) {
      http.getResponseHeaders().set("X-Goog-Upload-Status", "active");
      http.sendResponseHeaders(200, -1);
      return;
    }
    session.requireComplete();
    StoredFile file = store.finish(session);
    http.getResponseHeaders().set("X-Goog-Upload-Status", "final");
    ObjectNode body = mapper.createObjectNode();
    body.set("file", json.file(file, store.state(file.id())));
    Router.json(http, 200, body, mapper);
  }

  void get(Exchange exchange, String id) throws IOException {
    StoredFile file = store.read(id).orElseThrow(() -> ApiError.noSuchFile(id));
    Router.json(exchange.http(), 200, json.file(file, store.state(id)), mapper);
  }

  void delete(Exchange exchange, String id) throws IOException {
    int failure = knobs.takeFileDeleteFailure();
    if (failure != 0) {
      throw ApiError.planned(failure);
    }
    if (!store.delete(id)) {
      throw ApiError.noSuchFile(id);
    }
    Router.json(exchange.http(), 200, mapper.createObjectNode(), mapper);
  }

  void list(Exchange exchange) throws IOException {
    Page<StoredFile> page = Page.of(store.list(), exchange);
    ObjectNode body = mapper.createObjectNode();
    ArrayNode array = body.putArray("files");
    page.items().forEach(file -> array.add(json.file(file, store.state(file.id()))));
    page.nextToken().ifPresent(token -> body.put("nextPageToken", token));
    Router.json(exchange.http(), 200, body, mapper);
  }

  /** {@code id} ends in {@code :download}; needs {@code alt=media}. Answers a Range with 206. */
  void download(Exchange exchange, String id) throws IOException {
    if (!id.endsWith(":download")) {
      throw ApiError.notFound();
    }
    if (!exchange.query("alt").orElse("").equals("media")) {
      throw ApiError.invalid("Downloads need alt=media.");
    }
    StoredFile file = find(id.substring(0, id.length() - ":download".length()));
    int failure = knobs.takeDownloadFailure();
    if (failure == 403) {
      throw ApiError.noSuchFile(file.id());
    }
    if (failure != 0) {
      throw ApiError.planned(failure);
    }
    HttpExchange http = exchange.http();
    long start = 0;
    long end = file.size() - 1;
    int status = 200;
    Optional<String> range = exchange.header("Range");
    if (range.isPresent() && file.size() > 0) {
      long[] bounds = parseRange(range.get(), file.size());
      start = bounds[0];
      end = bounds[1];
      status = 206;
      http.getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + end + "/" + file.size());
    }
    long length = end - start + 1;
    http.getResponseHeaders().set("Content-Type", file.mimeType());
    http.sendResponseHeaders(status, length == 0 ? -1 : length);
    if (length == 0) {
      return;
    }
    boolean cut = knobs.takeDownloadCut();
    Duration stall = knobs.takeDownloadStall();
    long half = length / 2;
    OutputStream out = http.getResponseBody();
    try (InputStream in = file.open()) {
      in.skipNBytes(start);
      copy(in, out, half);
      if (cut) {
        // Not closed here: the exchange, closed by the router while bytes are still owed, drops
        // the connection (closing the body stream first would leave it open, waiting).
        out.flush();
        throw new Router.WithheldAnswer();
      }
      if (!stall.isZero()) {
        out.flush();
        Router.pause(stall);
      }
      copy(in, out, length - half);
    }
    out.close();
  }

  private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long remaining = bytes;
    while (remaining > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      out.write(buffer, 0, read);
      remaining -= read;
    }
  }

  /** A file that does not exist is answered as files.get and files.delete answer it: 403. */
  private StoredFile find(String id) {
    return store.get(id).orElseThrow(() -> ApiError.noSuchFile(id));
  }

  /** {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}; out of range is a 416. */
  private static long[] parseRange(String header, long size) {
    String spec = header.trim();
    if (!spec.startsWith("bytes=") || spec.contains(",")) {
      throw ApiError.invalid("Expected a single range bytes=FIRST-LAST, got: " + header);
    }
    String[] ends = spec.substring("bytes=".length()).split("-", -1);
    try {
      long start;
      long end;
      if (ends[0].isEmpty()) {
        start = Math.max(0, size - Long.parseLong(ends[1]));
        end = size - 1;
      } else {
        start = Long.parseLong(ends[0]);
        end = ends[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(ends[1]), size - 1);
      }
      if (start >= size || start > end) {
        throw new ApiError(
            416,
            "OUT_OF_RANGE",
            "The range " + header + " is outside the file's " + size + " bytes.",
            Optional.empty());
      }
      return new long[] {start, end};
    } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
      throw ApiError.invalid("Expected a single range bytes=FIRST-LAST, got: " + header);
    }
  }

  private JsonNode readJson(byte[] body) {
    try {
      return mapper.readTree(body);
    } catch (IOException e) {
      throw ApiError.invalid("The request body is not valid JSON.");
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isTextual() && !value.asText().isEmpty()
        ? Optional.of(value.asText())
        : Optional.empty();
  }

  private static long parseLength(String value) {
    try {
      long length = Long.parseLong(value.trim());
      if (length < 0) {
        throw new NumberFormatException();
      }
      return length;
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Expected a byte count, got: " + value);
    }
  }
}
