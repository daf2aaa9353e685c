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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code publish} as Eventarc reaches it: a binary-mode messagePublished CloudEvent over HTTP to
 * the real invoker; after {@code package}, from the shaded jar (failsafe), so a class the jar lacks
 * fails here.
 */
@LocalCloudTest
class PublishInvokerTest {
  @Fixture private PublishFixture fx;

  @Test
  void aHandOffDeliveredOverHttpPublishesEveryRowAndClosesTheRun() throws Exception {
    RunId run = fx.submit("http.jsonl", lines(3, "prompt"));
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    assertThat(handOffs).hasSize(1);

    try (InvokedFunction publish =
        InvokedFunction.start("io.batchdrop.publish.PublishFunction", fx.environment())) {
      HttpResponse<String> answer =
          publish.post(
              Map.of(
                  "ce-id", "handoff-1",
                  "ce-specversion", "1.0",
                  "ce-type", PublishFunction.TYPE,
                  "ce-source", "//pubsub.googleapis.com/projects/p/topics/completions",
                  "ce-time", "2026-12-01T10:00:00Z"),
              messagePublished(handOffs.get(0).encode()));

      assertThat(answer.statusCode()).as(publish.output()).isEqualTo(200);
    }
    List<PubsubMessage> results = fx.results(3);
    assertThat(results).extracting(m -> m.getAttributesOrThrow("status")).containsOnly("succeeded");
    assertThat(fx.moreResults()).as("no row is published twice").isEmpty();
    assertThat(fx.run(run).getString("state")).isEqualTo("SUCCEEDED");
  }

  /** The MessagePublishedData JSON Eventarc POSTs for a message on the completions topic. */
  private static String messagePublished(PubsubMessage message) {
    return "{\"message\":{\"data\":\""
        + Base64.getEncoder().encodeToString(message.getData().toByteArray())
        + "\",\"messageId\":\"1\",\"publishTime\":\"2026-12-01T10:00:00Z\"},"
        + "\"subscription\":\"projects/p/subscriptions/eventarc-completions\"}";
  }
}
