package io.batchdrop.cloud.gemini;

import com.google.api.gax.rpc.StatusCode.Code;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Gemini API calls made without the SDK (a batch's operation, a file's bytes), each whole
 * answer within the call deadline: {@link HttpRequest#timeout} alone ends at the response headers,
 * so a server or connection that stalls mid-body would hold the caller for ever. The key goes only
 * in a header.
 */
final class GeminiHttp {
  private final HttpClient http;
  private final URI baseUrl;
  private final BatchdropConfig.ApiKey apiKey;
  private final Duration deadline;

  GeminiHttp(HttpClient http, URI baseUrl, BatchdropConfig.ApiKey apiKey, Duration deadline) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.deadline = deadline;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl.toString().replaceAll("/$", "") + "/" + path))
        .timeout(deadline)
        .header("x-goog-api-key", apiKey.value());
  }

  /** The whole body of a 2xx answer, within the deadline; any other answer as its error. */
  byte[] send(HttpRequest request, String what) throws InterruptedException {
    HttpResponse<byte[]> answer =
        await(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()), what);
    if (answer.statusCode() / 100 != 2) {
      String body = new String(answer.body(), 0, Math.min(answer.body().length, 2000));
      throw GeminiErrors.of(answer.statusCode(), what + ": " + body, null);
    }
    return answer.body();
  }

  /**
   * An answer whose body is streamed, headers within the deadline; the body is closed when the
   * deadline passes, so a read that stalls past it ends (in {@link Streamed#transferTo}) as
   * DEADLINE_EXCEEDED.
   */
  Streamed stream(HttpRequest request, String what) throws InterruptedException {
    HttpResponse<InputStream> answer =
        await(http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()), what);
    Streamed streamed = new Streamed(answer, what);
    CompletableFuture.delayedExecutor(deadline.toNanos(), TimeUnit.NANOSECONDS)
        .execute(streamed::expire);
    return streamed;
  }

  private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> call, String what)
      throws InterruptedException {
    try {
      return call.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw GeminiErrors.of(Code.DEADLINE_EXCEEDED, what + ": no answer within " + deadline, e);
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      Code code = cause instanceof HttpTimeoutException ? Code.DEADLINE_EXCEEDED : Code.UNAVAILABLE;
      throw GeminiErrors.of(code, what + ": " + cause, cause);
    }
  }

  /** A streamed answer; its body is closed by {@link #transferTo} or when the deadline passes. */
  final class Streamed {
    private static final int READING = 0;
    private static final int DONE = 1;
    private static final int EXPIRED = 2;

    private final HttpResponse<InputStream> answer;
    private final String what;
    private final AtomicInteger state = new AtomicInteger(READING);

    private Streamed(HttpResponse<InputStream> answer, String what) {
      this.answer = answer;
      this.what = what;
    }

    int status() {
      return answer.statusCode();
    }

    HttpResponse<InputStream> response() {
      return answer;
    }

    /** The first bytes of the body, for an error message; closes it. */
    String errorBody() throws IOException {
      try (InputStream body = answer.body()) {
        return new String(body.readNBytes(2000), StandardCharsets.UTF_8);
      } finally {
        state.compareAndSet(READING, DONE);
      }
    }

    void close() throws IOException {
      state.compareAndSet(READING, DONE);
      answer.body().close();
    }

    /**
     * Copies the whole body. Whether it arrived in time is decided once, here or by the deadline: a
     * body the deadline cut is DEADLINE_EXCEEDED, never a short copy.
     */
    long transferTo(OutputStream out) throws IOException {
      long copied;
      try (InputStream body = answer.body()) {
        copied = body.transferTo(out);
      } catch (IOException e) {
        if (!state.compareAndSet(READING, DONE)) {
          throw deadlineExceeded(e);
        }
        throw e;
      }
      if (!state.compareAndSet(READING, DONE)) {
        throw deadlineExceeded(null);
      }
      return copied;
    }

    private RuntimeException deadlineExceeded(Throwable cause) {
      return GeminiErrors.of(
          Code.DEADLINE_EXCEEDED, what + ": the body did not arrive within " + deadline, cause);
    }

    private void expire() {
      if (state.compareAndSet(READING, EXPIRED)) {
        try {
          answer.body().close();
        } catch (IOException ignored) {
          // closing is all that is wanted
        }
      }
    }
  }
}
