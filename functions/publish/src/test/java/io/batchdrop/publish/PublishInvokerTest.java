package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.lines;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloudTest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code publish} as Eventarc reaches it: a binary-mode messagePublished CloudEvent over HTTP to
 * the real invoker; after {@code package}, from the shaded jar (failsafe), so a class the jar lacks
 * fails here.
 */
@LocalCloudTest
@Tag("system")
class PublishInvokerTest {
  @Fixture private PublishFixture fx;

  @Test
  void aHandOffDeliveredOverHttpPublishesEveryRowAndClosesTheRun() throws Exception {
    RunId run = fx.submit("http.jsonl", lines(3, "prompt"));
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    assertThat(handOffs).hasSize(1);

    try (InvokedFunction publish =
        InvokedFunction.start("io.batchdrop.publish.PublishFunction", fx.environment())) {
      HttpResponse<String> answer = publish.post(PublishFixture.delivery(handOffs.get(0)));

      assertThat(answer.statusCode()).as(publish.output()).isEqualTo(200);
    }
    List<PubsubMessage> results = fx.results(3);
    assertThat(results).extracting(m -> m.getAttributesOrThrow("status")).containsOnly("succeeded");
    assertThat(fx.moreResults()).as("no row is published twice").isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }
}
