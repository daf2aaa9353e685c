package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.delivery;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.storage.Blob;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code submit} as Eventarc reaches it: HTTP, a binary-mode CloudEvent, the invoker. */
@LocalCloudTest
@Tag("system")
class SubmitInvokerTest {
  @Fixture private SubmitFixture fx;

  @Test
  void instanceKilledAfterCreateBeforeRecordingIsHealedByTheRedeliveryWithoutASecondJob(
      LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/crash.jsonl", lines(2));
    String jobId = runId(blob).value() + "-s1-a1";
    cloud.vertexEmulator().knobs().withholdNextCreateAnswers(1);

    try (InvokedFunction function =
        InvokedFunction.start("io.batchdrop.submit.SubmitFunction", fx.environment())) {
      CompletableFuture<?> delivery =
          CompletableFuture.runAsync(
              () -> {
                try {
                  function.post(delivery(blob, "evt-crash"));
                } catch (Exception connectionLost) {
                  // the instance dies under the request; Eventarc counts that as a failed delivery
                }
              });
      cloud.vertexEmulator().awaitJobs(1, Duration.ofSeconds(60)); // the create reached Vertex
      function.process().destroyForcibly().waitFor(); // and the instance died
      delivery.get(60, TimeUnit.SECONDS);
    }
    var jobDoc = cloud.firestore().collection("jobs").document(jobId);
    assertThat(jobDoc.get().get().getString("state")).isEqualTo("CREATING");
    assertThat(jobDoc.get().get().getString("vertexName")).isNull();

    // Eventarc redelivers with backoff; by then the dead instance's run lease and its claim on
    // the job's create have run out.
    cloud
        .firestore()
        .collection("runs")
        .document(runId(blob).value())
        .update("lease.expiresAt", Timestamp.ofTimeSecondsAndNanos(1, 0))
        .get();
    jobDoc.update("creator.until", Timestamp.ofTimeSecondsAndNanos(1, 0)).get();
    fx.function().accept(SubmitFixture.finalized(blob));

    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(1);
    assertThat(jobDoc.get().get().getString("vertexName"))
        .isEqualTo(cloud.vertexEmulator().jobs().get(0).getName());
    // The adopted job is found as it is now: finished (the emulator runs jobs inside create).
    assertThat(fx.run(blob).getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void binaryModeCloudEventOverHttpSubmitsTheUploadAndMalformedOnesAreNotRetried(LocalCloud cloud)
      throws Exception {
    Blob blob = fx.upload("incoming/http.jsonl", lines(3));

    try (InvokedFunction function =
        InvokedFunction.start("io.batchdrop.submit.SubmitFunction", fx.environment())) {
      HttpResponse<String> accepted = function.post(delivery(blob, "evt-1"));
      HttpResponse<String> malformed = function.post(delivery(blob, "evt-2").withBody("{not json"));

      assertThat(accepted.statusCode()).isEqualTo(200);
      assertThat(malformed.statusCode()).isEqualTo(200);
      assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
      assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
      String logs = function.output();
      assertThat(logs)
          .contains("\"run_id\":\"" + runId(blob).value() + "\"")
          .contains("\"severity\":\"ERROR\"")
          .contains("malformed event");
      assertThat(logs).doesNotContain("prompt 1"); // no request contents in logs
    }
  }
}
