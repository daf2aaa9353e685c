package io.batchdrop.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Eventarc between the event sources and the functions, with its faults made frequent. Events
 * arrive on {@code /<function>} (the storage emulator's finalize notifications, the completions
 * bridge's pushes) and are accepted at once; then each is delivered to the function's current
 * address (a killed JVM's successor listens elsewhere) until it answers 2xx, a failure redelivered
 * after a backoff as Eventarc would. While faults are on, an event is also delivered a second time,
 * late, with the same CloudEvent id: the duplicates at-least-once delivery allows.
 */
final class EventDelivery implements AutoCloseable {
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(200);

  private final HttpServer server;
  private final Map<String, Supplier<URI>> targets;
  private final ScheduledExecutorService timer =
      Executors.newScheduledThreadPool(1, FaultProxy.daemon("eventarc-timer"));
  private final java.util.concurrent.ExecutorService senders =
      Executors.newCachedThreadPool(FaultProxy.daemon("eventarc-send"));
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final Random random;
  private final Tally tally;
  private final AtomicInteger pending = new AtomicInteger();
  private final Map<String, AtomicInteger> inFlight = new HashMap<>();
  private volatile double duplicateRatio;

  private EventDelivery(
      HttpServer server, Map<String, Supplier<URI>> targets, long seed, Tally tally) {
    this.server = server;
    this.targets = Map.copyOf(targets);
    this.random = new Random(seed);
    this.tally = tally;
    targets.keySet().forEach(name -> inFlight.put(name, new AtomicInteger()));
  }

  /** {@code targets}: function name to where it listens right now. */
  static EventDelivery start(Map<String, Supplier<URI>> targets, long seed, Tally tally)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    EventDelivery delivery = new EventDelivery(server, targets, seed, tally);
    for (String name : targets.keySet()) {
      server.createContext("/" + name, exchange -> delivery.accept(name, exchange));
    }
    server.setExecutor(Executors.newCachedThreadPool(FaultProxy.daemon("eventarc-in")));
    server.start();
    return delivery;
  }

  /** Where a source sends events for {@code function}. */
  URI endpoint(String function) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + function);
  }

  void duplicateRatio(double ratio) {
    this.duplicateRatio = ratio;
  }

  /** Events accepted and not yet answered 2xx by their function. */
  int pending() {
    return pending.get();
  }

  /** Deliveries to {@code function} waiting for its answer right now. */
  int inFlight(String function) {
    return inFlight.get(function).get();
  }

  private void accept(String function, HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (lower.startsWith("ce-") || lower.equals("content-type")) {
                headers.put(lower, values.get(0));
              }
            });
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
    schedule(new Event(function, headers, body), Duration.ZERO, 1);
    if (chance(duplicateRatio)) {
      tally.add("event delivered twice (" + function + ")");
      schedule(new Event(function, headers, body), Duration.ofMillis(500 + nextInt(6000)), 1);
    }
  }

  private record Event(String function, Map<String, String> headers, byte[] body) {}

  private void schedule(Event event, Duration delay, int attempt) {
    if (attempt == 1) {
      pending.incrementAndGet();
    }
    timer.schedule(
        () -> senders.execute(() -> deliver(event, attempt)),
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void deliver(Event event, int attempt) {
    int status = 0;
    AtomicInteger busy = inFlight.get(event.function());
    busy.incrementAndGet();
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(targets.get(event.function()).get())
              .timeout(TIMEOUT)
              .POST(HttpRequest.BodyPublishers.ofByteArray(event.body()));
      event.headers().forEach(request::header);
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      status = 0; // killed mid-call, or not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } finally {
      busy.decrementAndGet();
    }
    if (status >= 200 && status < 300) {
      pending.decrementAndGet();
      return;
    }
    tally.add("event redelivered after a failed delivery (" + event.function() + ")");
    long backoff = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10);
    timer.schedule(
        () -> senders.execute(() -> deliver(event, attempt + 1)),
        Math.min(backoff, MAX_BACKOFF.toMillis()),
        TimeUnit.MILLISECONDS);
  }

  private synchronized boolean chance(double ratio) {
    return ratio > 0 && random.nextDouble() < ratio;
  }

  private synchronized int nextInt(int bound) {
    return random.nextInt(bound);
  }

  @Override
  public void close() {
    server.stop(0);
    timer.shutdownNow();
    senders.shutdownNow();
  }
}
