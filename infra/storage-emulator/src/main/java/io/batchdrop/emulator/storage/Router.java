package io.batchdrop.emulator.storage;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.List;

/** Maps JSON API v1 paths and methods to the API classes, and failures to Google's error JSON. */
final class Router implements HttpHandler {
  private static final System.Logger LOG = System.getLogger(Router.class.getName());

  private final BucketApi buckets;
  private final ObjectApi objects;
  private final UploadApi uploads;
  private final DownloadApi downloads;
  private final ResponseWriter responses;
  private final BatchApi batch = new BatchApi(this);

  Router(
      BucketApi buckets,
      ObjectApi objects,
      UploadApi uploads,
      DownloadApi downloads,
      ResponseWriter responses) {
    this.buckets = buckets;
    this.objects = objects;
    this.uploads = uploads;
    this.downloads = downloads;
    this.responses = responses;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      ApiRequest request = new ApiRequest(exchange);
      if (!route(request)) {
        // Method and path only: names are fine to log, request contents are not.
        LOG.log(
            Level.WARNING,
            "unsupported request: {0} {1}",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath());
        throw ApiException.notImplemented(UnsupportedFeature.describe(request));
      }
    } catch (ApiException e) {
      respondWithError(exchange, e);
    } catch (UncheckedIOException | IOException e) {
      LOG.log(
          Level.WARNING,
          "request failed: "
              + exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getRawPath(),
          e);
      respondWithError(
          exchange, new ApiException(500, "backendError", "Internal error: " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "request failed: "
              + exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI().getRawPath(),
          e);
      respondWithError(exchange, new ApiException(500, "backendError", "Internal error"));
    } finally {
      drainAndClose(exchange);
    }
  }

  private boolean route(ApiRequest request) throws IOException {
    List<String> s = request.segments();
    String method = request.method();
    if (startsWith(s, "storage", "v1", "b")) {
      return routeJsonApi(request, s.subList(3, s.size()), method);
    }
    // The Node client takes STORAGE_EMULATOR_HOST as the JSON API's base URL, without /storage/v1.
    if (startsWith(s, "b")) {
      return routeJsonApi(request, s.subList(1, s.size()), method);
    }
    if (s.equals(List.of("batch", "storage", "v1")) && method.equals("POST")) {
      batch.batch(request);
      return true;
    }
    // apitools (gcloud, gsutil) starts resumable uploads under /resumable/upload/...
    if (startsWith(s, "resumable")) {
      s = s.subList(1, s.size());
    }
    if (startsWith(s, "upload", "storage", "v1", "b") && s.size() == 6 && s.get(5).equals("o")) {
      switch (method) {
        case "POST" -> uploads.post(request, s.get(4));
        case "PUT" -> uploads.put(request);
        case "DELETE" -> uploads.cancel(request);
        default -> {
          return false;
        }
      }
      return true;
    }
    if (startsWith(s, "download", "storage", "v1", "b")
        && s.size() >= 7
        && s.get(5).equals("o")
        && method.equals("GET")) {
      downloads.download(request, new ObjectKey(s.get(4), joinName(s.subList(6, s.size()))));
      return true;
    }
    return false;
  }

  /** Everything after /storage/v1/b. */
  private boolean routeJsonApi(ApiRequest request, List<String> s, String method)
      throws IOException {
    if (s.isEmpty()) {
      switch (method) {
        case "GET" -> buckets.list(request);
        case "POST" -> buckets.insert(request);
        default -> {
          return false;
        }
      }
      return true;
    }
    String bucket = s.get(0);
    if (s.size() == 1) {
      switch (method) {
        case "GET" -> buckets.get(request, bucket);
        case "DELETE" -> buckets.delete(request, bucket);
        case "PATCH" -> buckets.update(request, bucket, true);
        case "PUT" -> buckets.update(request, bucket, false);
        default -> {
          return false;
        }
      }
      return true;
    }
    if (s.size() == 2 && s.get(1).equals("storageLayout") && method.equals("GET")) {
      buckets.storageLayout(request, bucket);
      return true;
    }
    if (s.size() == 2 && s.get(1).equals("managedFolders") && method.equals("GET")) {
      buckets.listManagedFolders(request, bucket);
      return true;
    }
    if (!s.get(1).equals("o")) {
      return false;
    }
    if (s.size() == 2) {
      if (method.equals("GET")) {
        objects.list(request, bucket);
        return true;
      }
      return false;
    }
    ObjectKey key = new ObjectKey(bucket, s.get(2));
    if (s.size() == 8
        && method.equals("POST")
        && s.get(4).equals("b")
        && s.get(6).equals("o")
        && (s.get(3).equals("rewriteTo") || s.get(3).equals("copyTo"))) {
      ObjectKey destination = new ObjectKey(s.get(5), s.get(7));
      if (s.get(3).equals("rewriteTo")) {
        objects.rewrite(request, key, destination);
      } else {
        objects.copy(request, key, destination);
      }
      return true;
    }
    if (s.size() == 4 && s.get(3).equals("compose") && method.equals("POST")) {
      objects.compose(request, key);
      return true;
    }
    if (s.size() > 3) {
      // A client that did not encode '/' in the name; only reads can be told apart safely.
      if (!method.equals("GET")) {
        return false;
      }
      key = new ObjectKey(bucket, joinName(s.subList(2, s.size())));
    }
    switch (method) {
      case "GET" -> {
        if ("media".equals(request.param("alt"))) {
          downloads.download(request, key);
        } else {
          objects.get(request, key);
        }
      }
      case "DELETE" -> objects.delete(request, key);
      case "PATCH" -> objects.update(request, key, true);
      case "PUT" -> objects.update(request, key, false);
      default -> {
        return false;
      }
    }
    return true;
  }

  private void respondWithError(HttpExchange exchange, ApiException error) {
    if (exchange.getResponseCode() != -1) {
      return; // headers already went out; the connection is closed below
    }
    try {
      // The JDK server reads at most 64 KiB of an unread body after the answer and then closes
      // the socket with data unread, which the client sees as a reset instead of this error.
      if (!RequestDrain.drain(exchange.getRequestBody())) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
      responses.error(exchange, error);
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "could not send an error response", e);
    }
  }

  /**
   * Reads what is left of the request so the connection can carry the next one, then closes the
   * exchange.
   */
  private static void drainAndClose(HttpExchange exchange) {
    try {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The client went away; nothing to keep alive.
    } finally {
      exchange.close();
    }
  }

  private static boolean startsWith(List<String> segments, String... prefix) {
    if (segments.size() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (!segments.get(i).equals(prefix[i])) {
        return false;
      }
    }
    return true;
  }

  private static String joinName(List<String> segments) {
    return String.join("/", segments);
  }
}
