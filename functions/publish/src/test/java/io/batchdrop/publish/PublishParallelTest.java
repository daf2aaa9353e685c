package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A run of many jobs is drained by parallel invocations, one lease per job (issue 14 §4). It runs
 * beside other tests on purpose: a busy machine widens the window in which two jobs close the run
 * together, and {@code run.completed} must still go out once (sent by the job whose transaction
 * closed the run, {@code closedBy}).
 */
@LocalCloudTest
@Tag("system")
class PublishParallelTest {
  /** Deliveries of one hand-off before it is dead-lettered: the least terraform/ allows. */
  private static final int MAX_DELIVERIES = 5;

  @Fixture private PublishFixture fx;

  @Test
  void theJobsOfARunAreDrainedAtOnceByOneInvocationEachAndTheRunClosesOnceWithExactCounts()
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "50"));
    RunId run = fx.submit("many.jsonl", lines(400, "row"));
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    assertThat(handOffs).as("a job for each 50 rows").hasSize(8);

    // Every hand-off delivered at the same moment, each to its own instance, as Eventarc would,
    // and delivered again when the invocation fails (as Eventarc would too): eight jobs closing
    // one run contend for its document, and on a loaded machine a closing transaction can run out
    // of retries, which fails the invocation before its job is marked published.
    List<CompletableFuture<Void>> deliveries = new ArrayList<>();
    for (HandOffMessage handOff : handOffs) {
      deliveries.add(
          CompletableFuture.runAsync(
              () -> {
                for (int attempt = 1; ; attempt++) {
                  try (PublishFunction publish = new PublishFunction(fx.config())) {
                    publish.accept(PublishFixture.event(handOff));
                    return;
                  } catch (Exception e) {
                    if (attempt == MAX_DELIVERIES) {
                      throw new IllegalStateException(e);
                    }
                  }
                }
              },
              runnable -> new Thread(runnable, "delivery-" + handOff.jobId()).start()));
    }
    CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new)).join();

    // No job waited for another's lease: each job's own deliveries published it.
    for (DocumentSnapshot job : fx.jobs(run)) {
      assertThat(job.getBoolean("publish.done")).as("%s published", job.getId()).isTrue();
      assertThat(job.getLong("publish.counts.succeeded")).as(job.getId()).isEqualTo(50);
    }
    List<PubsubMessage> results = fx.results(400);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(results).hasSize(400);
    assertThat(dedupIds(results)).hasSize(400);
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getString("state")).isEqualTo("SUCCEEDED");
    assertThat(closed.getLong("counts.succeeded")).isEqualTo(400);
    assertThat(closed.getLong("counts.rows")).isEqualTo(400);
    long completed =
        fx.events(Integer.MAX_VALUE).stream()
            .filter(e -> "run.completed".equals(e.getAttributesOrThrow("type")))
            .count();
    assertThat(completed).as("run.completed sent once, by whichever job closed the run").isOne();
  }

  private static Set<String> dedupIds(List<PubsubMessage> results) {
    Set<String> ids = new HashSet<>();
    for (PubsubMessage message : results) {
      ids.add(message.getAttributesOrThrow("dedup_id"));
    }
    return ids;
  }
}
