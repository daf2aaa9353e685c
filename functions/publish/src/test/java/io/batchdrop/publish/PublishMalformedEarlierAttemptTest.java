package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static io.batchdrop.publish.PublishOutputChangedTest.statusByRow;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.BlobId;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A retry attempt reads its shard's earlier attempts (which rows they answered, how many rows the
 * first held); one whose document was changed since to hold a field of the wrong type is decided
 * once, never a delivery of the retry that fails again and again.
 */
@LocalCloudTest
class PublishMalformedEarlierAttemptTest {
  @Fixture private PublishFixture fx;

  @Test
  void aRetryWhoseFirstAttemptsRowCountIsNotANumberStillPublishesEveryRowOnce() throws Exception {
    RunId run = fx.submit("rows.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage second = retryAfterFirstAttemptGets(run, Map.of(JobDoc.ROWS, "two"));

    deliverTwice(second);

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).get("closed")).isEqualTo(true);
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void aRetryWhoseFirstAttemptsCountIsNotANumberStillPublishesEveryRowOnce() throws Exception {
    RunId run = fx.submit("count.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage second =
        retryAfterFirstAttemptGets(run, Map.of("publish.counts.succeeded", "one"));

    deliverTwice(second);

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).get("closed")).isEqualTo(true);
  }

  @Test
  void aRetryWhoseFirstAttemptsCheckpointIsCorruptStillPublishesEveryRowOnceFromItsShard()
      throws Exception {
    RunId run = fx.submit("seen.jsonl", line("fine") + line("[vertex:fail-429-once] busy"));
    HandOffMessage second =
        retryAfterFirstAttemptGets(
            run, Map.of("publish.seen", Blob.fromBytes(new byte[] {1, 0, 0})));

    deliverTwice(second);

    assertThat(statusByRow(fx.resultsAtLeast(2)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded", "2", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    assertThat(fx.run(run).get("closed")).isEqualTo(true);
  }

  @Test
  void aRetryWhoseShardIsGoneAndWhoseFirstAttemptsCheckpointIsCorruptIsMarkedOnceNamingIt(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "2"));
    RunId run = fx.submit("gone.jsonl", line("fine") + line("[vertex:missing] lost"));
    HandOffMessage second =
        retryAfterFirstAttemptGets(
            run, Map.of("publish.seen", Blob.fromBytes(new RowSet(100, 101).toBytes())));
    DocumentSnapshot secondDoc = job(run, second);
    GcsLocation staged = GcsLocation.parse(secondDoc.getString(JobDoc.INPUT_URI));
    assertThat(cloud.storage().delete(BlobId.of(staged.bucket(), staged.prefix()))).isTrue();

    deliverTwice(second);

    // Row 1 had its message from the first attempt; which rows that was is not known now, so no
    // row gets a second one.
    assertThat(statusByRow(fx.resultsAtLeast(1)))
        .containsExactlyEntriesOf(new TreeMap<>(Map.of("1", "succeeded")));
    assertThat(fx.moreResults()).isEmpty();
    DocumentSnapshot job = job(run, second);
    assertThat(job.get(JobDoc.PUBLISH_DONE)).isEqualTo(true);
    assertThat(job.get("publish.problem")).asString().contains("publish.seen");
    assertThat(fx.run(run).get("closed")).isEqualTo(true);
    assertThat(fx.run(run).get("problem")).asString().contains("publish.seen");
  }

  private DocumentSnapshot job(RunId run, HandOffMessage handOff) throws Exception {
    return fx.jobs(run).stream()
        .filter(j -> j.getId().equals(handOff.jobId()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Publishes the run's first attempt (one row succeeded, one held back for a second attempt),
   * gives that attempt's document {@code fields}, and returns the second attempt's hand-off once it
   * has run. Its staged shard holds only the retried row and there is no {@code invalid.jsonl}.
   */
  private HandOffMessage retryAfterFirstAttemptGets(RunId run, Map<String, Object> fields)
      throws Exception {
    HandOffMessage first = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(first));
    }
    HandOffMessage second = fx.finishJobs(run).get(0);
    assertThat(second.jobId()).endsWith("-a2");
    fx.jobs(run).stream()
        .filter(j -> j.getId().equals(first.jobId()))
        .findFirst()
        .orElseThrow()
        .getReference()
        .update(fields)
        .get();
    return second;
  }

  /** Both deliveries end in success: the second finds the job done. */
  private void deliverTwice(HandOffMessage handOff) throws Exception {
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
      publish.accept(PublishFixture.event(handOff));
    }
  }
}
