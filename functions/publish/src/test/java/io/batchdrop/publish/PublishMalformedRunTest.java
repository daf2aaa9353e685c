package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run document with a field of the wrong type that publish reads is decided once: the job's rows
 * are still published, the run closes carrying a problem naming the field, and a second delivery
 * finds the job done; never a delivery that fails again and again.
 */
@LocalCloudTest
class PublishMalformedRunTest {
  @Fixture private PublishFixture fx;

  @Test
  void aRunWhoseStateIsNotAStringStillGetsItsRowsAndClosesNamingTheField() throws Exception {
    assertPublishedAndClosedNaming("state.jsonl", Map.of("state", 4L), "state");
  }

  @Test
  void aRunWhoseSourceUriIsNotAStringStillGetsItsRowsAndClosesNamingTheField() throws Exception {
    assertPublishedAndClosedNaming("source.jsonl", Map.of("source.uri", 7L), "source.uri");
  }

  @Test
  void aRunWhoseRowCountIsNotANumberStillGetsItsRowsAndClosesNamingTheField() throws Exception {
    assertPublishedAndClosedNaming("rows.jsonl", Map.of("counts.rows", "two"), "counts.rows");
  }

  @Test
  void aRunWhoseClosedFlagIsNotABooleanStillGetsItsRowsAndClosesNamingTheField() throws Exception {
    assertPublishedAndClosedNaming("closed.jsonl", Map.of("closed", "no"), "closed");
  }

  @Test
  void aRunWhoseReasonIsNotAStringStillGetsItsRowsAndClosesNamingTheField() throws Exception {
    assertPublishedAndClosedNaming("reason.jsonl", Map.of("reason", 3L), "reason");
  }

  @Test
  void aRunWhoseCreationTimeIsNotATimestampStillGetsItsRowsAndClosesNamingTheField()
      throws Exception {
    assertPublishedAndClosedNaming("created.jsonl", Map.of("createdAt", "monday"), "createdAt");
  }

  /**
   * The run document gets {@code fields} after its job finished; two deliveries of the hand-off
   * both succeed, both rows get their one message naming the upload, the job is published and the
   * run closed with a problem naming {@code field}, its report written and {@code run.completed}
   * sent.
   */
  private void assertPublishedAndClosedNaming(String name, Map<String, Object> fields, String field)
      throws Exception {
    RunId run = fx.submit(name, lines(2, "row"));
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    fx.run(run).getReference().update(fields).get();

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
      publish.accept(PublishFixture.event(handOff));
    }

    List<PubsubMessage> results = fx.results(2);
    assertThat(results).extracting(m -> m.getAttributesOrThrow("status")).containsOnly("succeeded");
    assertThat(results)
        .extracting(m -> m.getAttributesOrThrow("source"))
        .containsOnly("gs://" + LocalDeployment.INBOX + "/" + PublishFixture.PREFIX + name);
    assertThat(fx.moreResults()).isEmpty();
    DocumentSnapshot job = fx.jobs(run).get(0);
    assertThat(job.get(JobDoc.PUBLISH_DONE)).isEqualTo(true);
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.get("closed")).isEqualTo(true);
    assertThat(closed.get("completedAnnounced")).isEqualTo(true);
    assertThat(closed.get("problem")).asString().contains(field);
    assertThat(fx.readWork("runs/" + run.value() + "/report.json")).contains(field);
  }
}
