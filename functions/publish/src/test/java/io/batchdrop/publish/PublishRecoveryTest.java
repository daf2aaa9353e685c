package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Publishing survives what the platform does to it: time limits, twin deliveries, a dead JVM. */
@LocalCloudTest
class PublishRecoveryTest {
  @Fixture private PublishFixture fx;

  @Test
  void aJobLongerThanTheTimeBudgetIsCheckpointedAndContinuedByItsOwnHandOff() throws Exception {
    fx.configure(
        Map.of("BATCHDROP_PUBLISH_BUDGET_SECONDS", "10", "BATCHDROP_PUBLISH_WINDOW_ROWS", "3"));
    RunId run = fx.submit("long.jsonl", lines(12, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);

    // Every reading of this clock moves it a second on: ten readings spend the budget.
    fx.publisher(new SteppingClock(Duration.ofSeconds(1))).handle(handOff);

    List<PubsubMessage> continuation = fx.completions(1, PublishFixture.WAIT);
    assertThat(continuation).as("publish hands the job to itself again").hasSize(1);
    DocumentSnapshot halfway = fx.jobs(run).get(0);
    assertThat(halfway.getBoolean("publish.done")).isFalse();
    long publishedSoFar = halfway.getLong("publish.counts.succeeded");
    assertThat(publishedSoFar).isBetween(1L, 11L);

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(continuation.get(0)));
    }

    List<PubsubMessage> results = fx.results(12);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(rows(results)).hasSize(12);
    assertThat(results).hasSize(12);
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void twoDeliveriesOfOneHandOffAtOncePublishEveryRowOnce() throws Exception {
    RunId run = fx.submit("twins.jsonl", lines(40, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);

    List<CompletableFuture<Void>> deliveries = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      deliveries.add(
          CompletableFuture.runAsync(
              () -> {
                try (PublishFunction publish = new PublishFunction(fx.config())) {
                  publish.accept(PublishFixture.event(handOff));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)).join();

    List<PubsubMessage> results = fx.results(40);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(results).hasSize(40);
    assertThat(rows(results)).hasSize(40);
  }

  @Test
  void aPublishKilledMidFileLosesNothingAndRepeatsAtMostTwoWindows() throws Exception {
    int rows = 3000;
    int window = 200;
    fx.configure(
        Map.of(
            "BATCHDROP_PUBLISH_WINDOW_ROWS",
            Integer.toString(window),
            "BATCHDROP_LEASE_SECONDS",
            "3"));
    RunId run = fx.submit("crash.jsonl", lines(rows, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);

    List<PubsubMessage> before;
    try (InvokedFunction publish =
        InvokedFunction.start("io.batchdrop.publish.PublishFunction", fx.environment())) {
      CompletableFuture<?> delivery =
          CompletableFuture.runAsync(
              () -> {
                try {
                  publish.post(PublishFixture.delivery(handOff));
                } catch (Exception e) {
                  // the connection dies with the JVM
                }
              });
      before = fx.resultsAtLeast(window + 1);
      publish.process().destroyForcibly().waitFor();
      delivery.exceptionally(e -> null);
    }
    assertThat(before.size()).as("killed part-way").isLessThan(rows);

    // Eventarc redelivers: the first redeliveries find the dead owner's lease still live, or a
    // transaction the dead JVM left open (the invocation then fails, and is delivered again).
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (!Boolean.TRUE.equals(fx.jobs(run).get(0).getBoolean("publish.done"))) {
      assertThat(Instant.now()).as("publish finished after the crash").isBefore(deadline);
      try (PublishFunction publish = new PublishFunction(fx.config())) {
        publish.accept(PublishFixture.event(handOff));
      } catch (Exception failedInvocation) {
        // redelivered by the next turn of the loop, as Eventarc would
      }
    }

    List<PubsubMessage> all = new ArrayList<>(before);
    all.addAll(fx.results(rows));
    all.addAll(fx.moreResults());
    assertThat(rows(all)).as("every row arrived").hasSize(rows);
    // The checkpoint of one window is written behind the reading of the next (design §6).
    assertThat(all.size() - rows).as("repeated rows").isLessThanOrEqualTo(2 * window);
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
    assertThat(fx.run(run).getLong("counts.succeeded")).isEqualTo(rows);
  }

  private static Set<String> rows(List<PubsubMessage> results) {
    Set<String> rows = new HashSet<>();
    for (PubsubMessage message : results) {
      rows.add(message.getAttributesOrThrow("dedup_id"));
    }
    return rows;
  }
}
