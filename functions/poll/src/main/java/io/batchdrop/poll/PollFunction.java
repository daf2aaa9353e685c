package io.batchdrop.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.log.StructuredLog;
import java.io.Writer;
import java.util.Map;

/**
 * The {@code poll} function (design §1): Cloud Scheduler POSTs to it once a minute. Every call is
 * idempotent (all state changes are compare-and-set transactions), so a Scheduler retry or a
 * repeated {@code X-CloudScheduler-ScheduleTime} is harmless. When more jobs are due than one call
 * takes, the call publishes the tick's slices to the poll-slices topic and {@link
 * PollSliceFunction} instances poll them in parallel. Answers 200 with a JSON summary, 500 only
 * when Firestore could not be read at all (the Scheduler does not retry: the next tick is the
 * retry).
 */
public final class PollFunction implements HttpFunction, AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PollInstance instance;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public PollFunction() {
    this(BatchdropConfig.forFunction(BatchdropConfig.Reader.POLL, System.getenv()));
  }

  /** Builds no client: the poller (and the clients under it) are built on the first call. */
  public PollFunction(BatchdropConfig config) {
    this.instance = new PollInstance(config);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    if (!"POST".equals(request.getMethod())) {
      response.setStatusCode(405);
      response.appendHeader("Allow", "POST");
      return;
    }
    String scheduleTime = request.getFirstHeader("X-CloudScheduler-ScheduleTime").orElse(null);
    response.setContentType("application/json");
    try {
      PollSummary summary = instance.poller().poll(scheduleTime);
      response.setStatusCode(200);
      write(response, summary.toJson());
    } catch (PollUnavailableException e) {
      LOG.error().failure(e.getCause()).log(e.getMessage());
      response.setStatusCode(500);
      write(response, Map.of("error", e.getMessage()));
    }
  }

  private static void write(HttpResponse response, Map<String, Object> body) throws Exception {
    try (Writer writer = response.getWriter()) {
      writer.write(JSON.writeValueAsString(body));
    }
  }

  /** Releases the pool and the clients; an embedding host (a test, the local stack) calls it. */
  @Override
  public void close() throws Exception {
    instance.close();
  }
}
