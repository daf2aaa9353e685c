package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static io.batchdrop.publish.PublishOutputChangedTest.statusByRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.BlobId;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A job's staged shard is gone (retention, an operator) while publish still needs it: every row
 * still ends with one outcome, the delivery succeeds, and replay rebuilds what was sent.
 */
@LocalCloudTest
class PublishStagedGoneTest {
  static final String INVALID =
      "{\"request\": {\"contents\": [{\"role\": \"tester\", \"parts\": [{\"text\": \"x\"}]}]}}\n";

  @Fixture private PublishFixture fx;

  @Test
  void aLaterAttemptWhoseShardIsGoneEndsOnlyItsOwnRowsNotThoseAnEarlierAttemptAnswered(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "2"));
    RunId run = fx.submit("gone-later.jsonl", line("fine") + line("[vertex:missing] lost"));
    HandOffMessage first = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    HandOffMessage second = fx.finishJobs(run).get(0);
    assertThat(second.jobId()).endsWith("-a2");
    deleteStaged(cloud, job(run, second.jobId()));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(second));
    }

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "missing")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("PARTIAL");
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void aShardGoneInTheMiddleOfItsLeftoversEndsTheRestOnceAndClosesTheRun(LocalCloud cloud)
      throws Exception {
    fx.configure(
        Map.of(
            "BATCHDROP_PUBLISH_BUDGET_SECONDS", "12",
            "BATCHDROP_PUBLISH_WINDOW_ROWS", "2",
            "BATCHDROP_MAX_ATTEMPTS", "1"));
    StringBuilder file = new StringBuilder(line("kept"));
    for (int i = 0; i < 16; i++) {
      file.append(line("[vertex:missing] lost " + i));
    }
    RunId run = fx.submit("gone-midway.jsonl", file.toString());
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.publisher(new SteppingClock(Duration.ofSeconds(1))).handle(handOff);
    List<PubsubMessage> continuation = fx.completions(1, PublishFixture.WAIT);
    assertThat(continuation).as("the first invocation ran out of time").hasSize(1);
    DocumentSnapshot halfway = fx.jobs(run).get(0);
    assertThat(halfway.getString("publish.phase")).isEqualTo("LEFTOVERS");
    assertThat(halfway.getLong("publish.leftoverOffset")).isPositive();
    deleteStaged(cloud, halfway);

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(continuation.get(0)));
    }

    Map<String, String> status = statusByRow(fx.resultsAtLeast(17));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(status).hasSize(17).containsEntry("1", "succeeded");
    assertThat(status).allSatisfy((row, s) -> assertThat(s).isIn("succeeded", "missing"));
    assertThat(fx.jobs(run).get(0).getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    assertThat(fx.run(run).getLong("counts.missing")).isEqualTo(16);
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void aShardAndTheInvalidRowsBothGoneEndTheDeliveryWithAProblemOnTheRunNotARedelivery(
      LocalCloud cloud) throws Exception {
    RunId run =
        fx.submit("gone-both.jsonl", line("kept") + INVALID + line("[vertex:missing] lost"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    deleteStaged(cloud, fx.jobs(run).get(0));
    assertThat(
            cloud
                .storage()
                .delete(BlobId.of("batchdrop-work", "runs/" + run.value() + "/invalid.jsonl")))
        .isTrue();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    assertThat(fx.jobs(run).get(0).getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getString("state")).isEqualTo("PARTIAL");
    assertThat(closed.getLong("counts.succeeded")).isEqualTo(1);
    assertThat(closed.getLong("counts.invalid")).isEqualTo(1);
    assertThat(closed.getLong("counts.missing")).isEqualTo(1);
    assertThat(closed.getString("problem")).contains("invalid.jsonl").contains("2..3");
  }

  @Test
  void aRunWhoseShardWasGoneBeforePublishIsReplayedAsItWasPublished(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("gone-replay.jsonl", line("kept") + INVALID + line("[vertex:missing] x"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    deleteStaged(cloud, fx.jobs(run).get(0));
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }
    Map<String, String> published = new TreeMap<>();
    for (PubsubMessage m : fx.resultsAtLeast(3)) {
      published.put(m.getAttributesOrThrow("dedup_id"), m.getAttributesOrThrow("status"));
    }

    Map<String, String> replayed = new TreeMap<>();
    new RunReplay(cloud.storage(), fx.config(), Clock.systemUTC())
        .replay(
            fx.run(run),
            new ArrayList<>(fx.jobs(run)),
            (row, status, m) ->
                replayed.put(m.getAttributesOrThrow("dedup_id"), m.getAttributesOrThrow("status")));

    assertThat(replayed).hasSize(3).containsExactlyEntriesOf(published);
  }

  @Test
  void aRedeliveryAfterTheNextAttemptWasBegunLeavesItsRowsToItEvenWhenTheShardIsGone(
      LocalCloud cloud) throws Exception {
    RunId run = fx.submit("gone-begun.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage first = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    // As a crash leaves it after the next attempt was created, before the checkpoint said so.
    DocumentSnapshot attempt1 = job(run, first.jobId());
    attempt1
        .getReference()
        .update(
            Map.of(
                "publish.phase",
                "LEFTOVERS",
                "publish.next",
                com.google.cloud.firestore.FieldValue.delete(),
                JobDoc.PUBLISH_DONE,
                false))
        .get();
    deleteStaged(cloud, attempt1);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    assertThat(job(run, first.jobId()).getString("publish.next")).endsWith("-a2");

    fx.publishUntilClosed(run);

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aJobNeverCreatedWhoseShardIsGoneStillFailsEveryRowWithTheReason(LocalCloud cloud)
      throws Exception {
    RunId run =
        fx.submit(
            "gone-never.jsonl",
            line("one") + line("two"),
            Map.of("batchdrop-model", "gemini-0-unreleased"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    deleteStaged(cloud, fx.jobs(run).get(0));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    List<PubsubMessage> results = fx.resultsAtLeast(2);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(statusByRow(results))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "failed", "2", "failed")));
    assertThat(PublishFixture.data(results.get(0)).path("error").path("code").asText())
        .isEqualTo("job_not_created");
    assertThat(fx.run(run).getLong("counts.failed")).isEqualTo(2);
    assertThat(fx.run(run).get("problem")).isNull();
  }

  @Test
  void withTheShardGoneAnOutputLineLabelledWithAnInvalidRowIsStillNotTheJobs(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "1"));
    RunId run =
        fx.submit("gone-foreign.jsonl", line("kept") + INVALID + line("[vertex:missing] lost"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    deleteStaged(cloud, fx.jobs(run).get(0));
    com.google.cloud.storage.Blob output =
        PublishOutputChangedTest.outputFiles(cloud, handOff).get(0);
    String text = new String(output.getContent(), java.nio.charset.StandardCharsets.UTF_8);
    PublishOutputChangedTest.rewrite(
        cloud,
        output,
        text
            + text.replaceAll(
                "\"batchdrop_row\"\\s*:\\s*\"row-1\"", "\"batchdrop_row\": \"row-2\""));

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
    }

    assertThat(statusByRow(fx.resultsAtLeast(3)))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("1", "succeeded", "2", "invalid", "3", "missing")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).get("problem")).isNull();
  }

  private DocumentSnapshot job(RunId run, String jobId) throws Exception {
    return fx.jobs(run).stream().filter(j -> j.getId().equals(jobId)).findFirst().orElseThrow();
  }

  private static void deleteStaged(LocalCloud cloud, DocumentSnapshot job) {
    GcsLocation staged = GcsLocation.parse(job.getString(JobDoc.INPUT_URI));
    assertThat(cloud.storage().delete(BlobId.of(staged.bucket(), staged.prefix()))).isTrue();
  }
}
