package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.RawFirestore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hand-off whose job document another transaction holds (a delivery of the same hand-off taking
 * it, or a transaction whose client died mid-way, which keeps its locks until it idles out). In a
 * fault run every such delivery failed and was redelivered, poll kept handing the job off, and the
 * deliveries piled up against the one document until none got through for the rest of the run.
 */
@LocalCloudTest
class PublishContentionTest {
  @Fixture private PublishFixture fx;

  @Test
  void aDeliveryThatFindsItsJobHeldByAnotherTransactionIsDoneAndTheNextHandOffPublishesIt(
      LocalCloud cloud) throws Exception {
    RunId run = fx.submit("held.jsonl", lines(20, "row"));
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    assertThat(handOffs).hasSize(1);
    HandOffMessage handOff = handOffs.get(0);
    RawFirestore raw = RawFirestore.connect(cloud);
    ByteString held = raw.lock("jobs", handOff.jobId());

    try (PublishFunction publish = new PublishFunction(fx.config())) {
      // Returns, so the delivery is not redelivered: nothing depends on it.
      publish.accept(PublishFixture.event(handOff));
    } finally {
      raw.rollback(held);
    }
    assertThat(fx.moreResults()).as("nothing published under the held document").isEmpty();
    assertThat(fx.jobs(run).get(0).getBoolean("publish.done")).isNotEqualTo(Boolean.TRUE);

    // Poll hands the unpublished job off again; that delivery publishes it.
    fx.publishUntilClosed(run);
    assertThat(fx.results(20)).hasSize(20);
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }
}
