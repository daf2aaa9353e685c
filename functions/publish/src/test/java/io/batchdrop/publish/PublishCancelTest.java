package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run cancelled while publish is between the attempts of a shard. */
@LocalCloudTest
class PublishCancelTest {
  @Fixture private PublishFixture fx;

  @Test
  void aCancelAfterTheNextAttemptWasBegunLeavesTheHeldBackRowsToItOneOutcomeEach()
      throws Exception {
    RunId run = fx.submit("quota.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    // a1 published: row 1 succeeded, row 2 held back for a2, which was created.
    List<HandOffMessage> first = fx.finishJobs(run);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first.get(0)));
    }
    assertThat(fx.jobs(run)).hasSize(2);
    // a1 as a crash right after a2's create leaves it: still in LEFTOVERS, a2 not yet noted,
    // not done, its lease gone. Then the user cancels, before the redelivery.
    QueryDocumentSnapshot a1 = fx.jobs(run).get(0);
    assertThat(a1.getId()).endsWith("-a1");
    Map<String, Object> crashed = new HashMap<>();
    crashed.put("publish.phase", "LEFTOVERS");
    crashed.put("publish.next", FieldValue.delete());
    crashed.put("publish.done", false);
    crashed.put("publish.doneAt", FieldValue.delete());
    crashed.put("lease", FieldValue.delete());
    a1.getReference().update(crashed).get();
    fx.run(run).getReference().update(RunDoc.CANCEL_REQUESTED_AT, Timestamp.now()).get();

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = new ArrayList<>(fx.results(2));
    results.addAll(fx.moreResults());
    assertThat(results)
        .extracting(m -> m.getAttributesOrThrow("row") + " " + m.getAttributesOrThrow("status"))
        .containsExactlyInAnyOrder("1 succeeded", "2 succeeded");
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.get("problem")).as("the run's counts add up").isNull();
    assertThat(closed.getLong("counts.succeeded")).isEqualTo(2);
    assertThat(closed.getLong("counts.failed")).isZero();
  }

  @Test
  void aRowHeldBackAndThenNotRetriedIsFailedOnceAndReplayedAsItWasSent(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("held.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    List<HandOffMessage> first = fx.finishJobs(run);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first.get(0)));
    }
    fx.results(1); // row 1, succeeded
    // a1 as a crash right after its LEFTOVERS checkpoint leaves it, before a2 was begun; then
    // the user cancels. (a2's document is removed to stand for "not begun".)
    List<QueryDocumentSnapshot> jobs = fx.jobs(run);
    QueryDocumentSnapshot a1 = jobs.get(0);
    jobs.get(1).getReference().delete().get();
    Map<String, Object> crashed = new HashMap<>();
    crashed.put("publish.phase", "LEFTOVERS");
    crashed.put("publish.next", FieldValue.delete());
    crashed.put("publish.done", false);
    crashed.put("lease", FieldValue.delete());
    a1.getReference().update(crashed).get();
    fx.run(run).getReference().update(RunDoc.CANCEL_REQUESTED_AT, Timestamp.now()).get();
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(HandOffMessage.from(fx.jobs(run).get(0))));
    }

    PubsubMessage failed = fx.results(1).get(0);
    assertThat(failed.getAttributesMap())
        .containsEntry("row", "2")
        .containsEntry("status", "failed");
    assertThat(failed.getData().toStringUtf8()).contains("not_retried");
    assertThat(fx.moreResults()).isEmpty();

    Map<String, String> replayed = new java.util.TreeMap<>();
    new RunReplay(cloud.storage(), fx.config(), java.time.Clock.systemUTC())
        .replay(
            fx.run(run),
            new ArrayList<>(fx.jobs(run)),
            (row, status, m) ->
                replayed.put(
                    m.getAttributesOrThrow("dedup_id"),
                    m.getAttributesOrThrow("status")
                        + (m.getData().toStringUtf8().contains("not_retried")
                            ? " not_retried"
                            : "")));
    assertThat(replayed)
        .containsExactly(
            Map.entry(run.value() + "/1/1", "succeeded"),
            Map.entry(run.value() + "/2/1", "failed not_retried"));
  }
}
