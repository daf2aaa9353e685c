package io.batchdrop.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.Lazy;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.log.StructuredLog;
import java.io.Writer;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The {@code poll} function (design §1): Cloud Scheduler POSTs to it once a minute. Every call is
 * idempotent (all state changes are compare-and-set transactions), so a Scheduler retry or a
 * repeated {@code X-CloudScheduler-ScheduleTime} is harmless. Answers 200 with a JSON summary, 500
 * only when Firestore could not be read at all.
 */
public final class PollFunction implements HttpFunction, AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final CloudClients clients;
  private final ExecutorService pool;
  private final Lazy<Poller> poller;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public PollFunction() {
    this(BatchdropConfig.forFunction(BatchdropConfig.Reader.POLL, System.getenv()));
  }

  /** Builds no client: the poller (and the clients under it) are built on the first call. */
  public PollFunction(BatchdropConfig config) {
    this.clients = new CloudClients(config);
    // One pool per instance: concurrent calls on one instance share the Vertex concurrency bound.
    this.pool = Executors.newFixedThreadPool(config.poll().concurrency(), daemonThreads());
    this.poller = Lazy.of(() -> new Poller(clients, pool, Clock.systemUTC()));
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
      PollSummary summary = poller.get().poll(scheduleTime);
      response.setStatusCode(200);
      write(response, summary.toJson());
    } catch (PollUnavailableException e) {
      LOG.error().with("error", e.getCause().getClass().getSimpleName()).log(e.getMessage());
      response.setStatusCode(500);
      write(response, Map.of("error", e.getMessage()));
    }
  }

  private static void write(HttpResponse response, Map<String, Object> body) throws Exception {
    try (Writer writer = response.getWriter()) {
      writer.write(JSON.writeValueAsString(body));
    }
  }

  private static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "poll-worker");
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Releases the pool and the clients; an embedding host (a test, the local stack) calls it. */
  @Override
  public void close() throws Exception {
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    clients.close();
  }
}
