package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldValue;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A job document publish cannot read is a permanent problem: decided once, logged, the job marked
 * and the run closed with the problem, never a delivery that fails again and again.
 */
@LocalCloudTest
class PublishMalformedJobTest {
  @Fixture private PublishFixture fx;

  @Test
  void aJobWithAnUnknownPublishPhaseIsMarkedOnceAndTheRunClosesWithTheProblem() throws Exception {
    RunId run = fx.submit("phase.jsonl", lines(2, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.jobs(run).get(0).getReference().update(Map.of("publish.phase", "SKIMMING")).get();

    deliverTwice(handOff);

    DocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    assertThat(job.getString("publish.problem")).contains("SKIMMING");
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getBoolean("closed")).isTrue();
    assertThat(closed.getString("problem")).contains("SKIMMING");
  }

  @Test
  void aJobWithoutItsFirstRowIsMarkedOnceAndTheRunClosesWithTheProblem() throws Exception {
    RunId run = fx.submit("first-row.jsonl", lines(2, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.jobs(run).get(0).getReference().update(Map.of(JobDoc.FIRST_ROW, FieldValue.delete())).get();

    deliverTwice(handOff);

    DocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    assertThat(job.getString("publish.problem")).contains(JobDoc.FIRST_ROW);
    assertThat(fx.run(run).getString("problem")).contains(JobDoc.FIRST_ROW);
  }

  @Test
  void aJobWhosePublishDoneIsNotABooleanIsMarkedOnceAndTheRunClosesNamingTheField()
      throws Exception {
    assertDecidedOnce("done.jsonl", Map.of(JobDoc.PUBLISH_DONE, "yes"), JobDoc.PUBLISH_DONE);
  }

  @Test
  void aJobWhoseStateIsNotAStringIsMarkedOnceAndTheRunClosesNamingTheField() throws Exception {
    assertDecidedOnce("state.jsonl", Map.of(JobDoc.STATE, 4L), JobDoc.STATE);
  }

  @Test
  void aJobWhoseCheckpointOffsetIsNotANumberIsMarkedOnceAndTheRunClosesNamingTheField()
      throws Exception {
    assertDecidedOnce("offset.jsonl", Map.of("publish.offset", "12"), "publish.offset");
  }

  @Test
  void aJobWhoseCountIsNotANumberIsMarkedOnceAndTheRunClosesNamingTheField() throws Exception {
    assertDecidedOnce(
        "count.jsonl", Map.of("publish.counts.succeeded", "five"), "publish.counts.succeeded");
  }

  @Test
  void aJobWhoseNextAttemptIsNotAStringIsMarkedOnceAndTheRunStillCloses() throws Exception {
    assertDecidedOnce("next.jsonl", Map.of("publish.next", 5L), "publish.next");
  }

  @Test
  void aJobWhoseSeenCheckpointIsTooShortIsMarkedOnceAndTheRunClosesNamingTheField()
      throws Exception {
    assertDecidedOnce(
        "seen-short.jsonl",
        Map.of("publish.seen", Blob.fromBytes(new byte[] {1, 0, 0})),
        "publish.seen");
  }

  @Test
  void aJobWhoseRetryCheckpointSpansOtherRowsIsMarkedOnceAndTheRunClosesNamingTheField()
      throws Exception {
    // Its second row fails retryably: it would be held back in that checkpoint.
    assertDecidedOnce(
        "retry-span.jsonl",
        PublishFixture.line("fine") + PublishFixture.line("[vertex:fail-429-once] busy"),
        Map.of("publish.retry", Blob.fromBytes(new RowSet(100, 101).toBytes())),
        "publish.retry");
  }

  @Test
  void aJobWhoseSeenCheckpointSpansOtherRowsIsMarkedOnceAndTheRunClosesNamingTheField()
      throws Exception {
    assertDecidedOnce(
        "seen-span.jsonl",
        Map.of("publish.seen", Blob.fromBytes(new RowSet(100, 101).toBytes())),
        "publish.seen");
  }

  @Test
  void aJobWhoseLeaseFieldsHaveTheWrongTypeIsPublishedWholeUnderANewLease() throws Exception {
    RunId run = fx.submit("lease.jsonl", lines(2, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.jobs(run)
        .get(0)
        .getReference()
        .update(Map.of("lease.owner", 7L, "lease.expiresAt", "tomorrow"))
        .get();

    deliverTwice(handOff);

    assertThat(fx.results(2))
        .extracting(m -> m.getAttributesOrThrow("status"))
        .containsOnly("succeeded");
    assertThat(fx.moreResults()).isEmpty();
    DocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.getBoolean(JobDoc.PUBLISH_DONE)).isTrue();
    assertThat(job.get("publish.problem")).isNull();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  /**
   * The job's document gets {@code fields} after its job finished; two deliveries of its hand-off
   * both succeed, the job is marked published with a problem naming {@code field}, and the run is
   * closed carrying it.
   */
  private void assertDecidedOnce(String name, Map<String, Object> fields, String field)
      throws Exception {
    assertDecidedOnce(name, lines(2, "row"), fields, field);
  }

  /** As above, for a file of {@code content}. */
  private void assertDecidedOnce(
      String name, String content, Map<String, Object> fields, String field) throws Exception {
    RunId run = fx.submit(name, content);
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.jobs(run).get(0).getReference().update(fields).get();

    deliverTwice(handOff);

    DocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.get(JobDoc.PUBLISH_DONE)).isEqualTo(true);
    assertThat(job.get("publish.problem")).asString().contains(field);
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getBoolean("closed")).isTrue();
    assertThat(closed.getString("problem")).contains(field);
  }

  /** Both deliveries end in success: the second finds the job done. */
  private void deliverTwice(HandOffMessage handOff) throws Exception {
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
      publish.accept(PublishFixture.event(handOff));
    }
  }
}
