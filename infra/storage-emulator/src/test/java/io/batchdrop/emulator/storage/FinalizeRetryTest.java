package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The finalize notifier's deadline and retries, on a timer the test moves: an event the target
 * keeps failing is delivered as Eventarc delivers it, for Eventarc's retention, without waiting.
 */
class FinalizeRetryTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Object GAVE_UP = new Object();

  /** What the notifier asked the timer for, or {@link #GAVE_UP}. */
  private final BlockingQueue<Object> next = new LinkedBlockingQueue<>();

  private final AtomicInteger received = new AtomicInteger();
  private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
  private final Logger log = Logger.getLogger(FinalizeNotifier.class.getName());
  private final Handler gaveUp =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            next.add(GAVE_UP);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final ManualTimer timer = new ManualTimer();
  private HttpServer failingTarget;

  @BeforeEach
  void startAFailingTarget() throws IOException {
    failingTarget = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    failingTarget.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          eventIds.add(exchange.getRequestHeaders().getFirst("ce-id"));
          received.incrementAndGet();
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    failingTarget.start();
    log.addHandler(gaveUp);
  }

  @AfterEach
  void stop() {
    log.removeHandler(gaveUp);
    failingTarget.stop(0);
  }

  @Test
  void anEventTheTargetKeepsFailingIsRetriedWithEventarcsBackoffForTwentyFourHours()
      throws Exception {
    try (FinalizeNotifier notifier = notifier(DeliveryPolicy.EVENTARC)) {
      notifier.add("inbox", targetUri());

      notifier.finalized(object("incoming/a.jsonl"));

      List<Duration> waits = new ArrayList<>();
      for (Object step = nextStep(); step != GAVE_UP; step = nextStep()) {
        Scheduled scheduled = (Scheduled) step;
        waits.add(scheduled.delay());
        timer.advance(scheduled.delay());
        scheduled.task().run();
      }

      // The first delivery at once, then 10 s doubling to 600 s, for as long as 24 h allow:
      // 630 s for the first seven, then 142 of 600 s (85,830 s), a 143rd would pass 86,400 s.
      List<Long> expected = new ArrayList<>(List.of(0L, 10L, 20L, 40L, 80L, 160L, 320L));
      for (int i = 0; i < 142; i++) {
        expected.add(600L);
      }
      assertThat(waits).extracting(Duration::toSeconds).containsExactlyElementsOf(expected);
      assertThat(received).hasValue(expected.size());
      assertThat(eventIds).as("every delivery carries the event's one id").hasSize(1);
    }
  }

  @Test
  void aRemovedTargetTakesItsUndeliveredEventsWithIt() throws Exception {
    HttpServer marker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    BlockingQueue<String> markerEvents = new LinkedBlockingQueue<>();
    marker.createContext(
        "/",
        exchange -> {
          markerEvents.add(exchange.getRequestHeaders().getFirst("ce-subject"));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    marker.start();
    try (FinalizeNotifier notifier = notifier(DeliveryPolicy.EVENTARC)) {
      notifier.add("inbox", targetUri());
      notifier.finalized(object("incoming/a.jsonl"));
      ((Scheduled) nextStep()).task().run();
      Scheduled retry = (Scheduled) nextStep();

      notifier.clear();
      timer.advance(retry.delay());
      retry.task().run();
      // A marker to a fresh target shows that a redelivery would have been sent by now.
      notifier.add("quiet", URI.create("http://127.0.0.1:" + marker.getAddress().getPort() + "/"));
      notifier.finalized(
          new ObjectMeta(
              new ObjectKey("quiet", "marker"),
              1,
              1,
              0,
              null,
              "AAAAAA==",
              null,
              ObjectAttributes.empty(),
              timer.now(),
              timer.now()));
      ((Scheduled) nextStep()).task().run();
      assertThat(markerEvents.poll(30, TimeUnit.SECONDS)).isEqualTo("objects/marker");

      assertThat(received).hasValue(1);
    } finally {
      marker.stop(0);
    }
  }

  @Test
  void aDeliveryMayTakeAsLongAsTheFunctionsTimeout() {
    try (FinalizeNotifier notifier = notifier(DeliveryPolicy.EVENTARC)) {
      assertThat(
              notifier.event(object("incoming/slow.jsonl"), targetUri(), new byte[] {}).timeout())
          .contains(Duration.ofSeconds(540));
    }
  }

  @Test
  void eventarcsPolicyIsSubmitsTimeoutAndTenSecondsDoublingToTenMinutesForADay() {
    DeliveryPolicy eventarc = DeliveryPolicy.EVENTARC;

    assertThat(eventarc.deadline()).isEqualTo(Duration.ofSeconds(540));
    assertThat(List.of(1, 2, 3, 6, 7, 100))
        .extracting(attempt -> eventarc.backoffAfter(attempt).toSeconds())
        .containsExactly(10L, 20L, 40L, 320L, 600L, 600L);
    assertThat(eventarc.retryAfter(150, Duration.ofSeconds(85_800)))
        .contains(Duration.ofMinutes(10));
    assertThat(eventarc.retryAfter(150, Duration.ofSeconds(85_801))).isEmpty();
  }

  private FinalizeNotifier notifier(DeliveryPolicy policy) {
    return new FinalizeNotifier(
        new ObjectJson(MAPPER, URI.create("http://127.0.0.1:1")), MAPPER, policy, timer);
  }

  private URI targetUri() {
    return URI.create("http://127.0.0.1:" + failingTarget.getAddress().getPort() + "/");
  }

  private Object nextStep() throws InterruptedException {
    Object step = next.poll(30, TimeUnit.SECONDS);
    assertThat(step).as("a retry scheduled or the event given up on").isNotNull();
    return step;
  }

  private static ObjectMeta object(String name) {
    Instant now = Instant.parse("2026-12-01T00:00:00Z");
    return new ObjectMeta(
        new ObjectKey("inbox", name),
        1,
        1,
        0,
        null,
        "AAAAAA==",
        null,
        ObjectAttributes.empty(),
        now,
        now);
  }

  private record Scheduled(Runnable task, Duration delay) {}

  /** Time stands still until the test advances it; scheduled tasks go to the test's queue. */
  private final class ManualTimer implements RetryTimer {
    private volatile Instant now = Instant.parse("2026-12-01T00:00:00Z");
    private volatile boolean closed;

    @Override
    public Instant now() {
      return now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
      if (!closed) {
        next.add(new Scheduled(task, delay));
      }
    }

    @Override
    public boolean closed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
