package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code submit} as Eventarc reaches it: HTTP, a binary-mode CloudEvent, the invoker. */
@LocalCloudTest
class SubmitInvokerTest {
  private SubmitFixture fx;

  @BeforeEach
  void deploy(LocalCloud cloud) {
    fx = new SubmitFixture(cloud);
  }

  @AfterEach
  void shutDown() throws Exception {
    fx.close();
  }

  @Test
  void binaryModeCloudEventOverHttpSubmitsTheUploadAndMalformedOnesAreNotRetried(LocalCloud cloud)
      throws Exception {
    Blob blob = fx.upload("incoming/http.jsonl", lines(3));

    try (InvokedFunction function =
        InvokedFunction.start("io.batchdrop.submit.SubmitFunction", fx.environment())) {
      HttpResponse<String> accepted = function.post(ceHeaders("evt-1", blob.getName()),
          "{\"bucket\":\"" + blob.getBucket() + "\",\"name\":\"" + blob.getName() + "\","
              + "\"generation\":\"" + blob.getGeneration() + "\",\"size\":\"" + blob.getSize() + "\","
              + "\"contentType\":\"application/jsonl\",\"someFieldAddedLater\":true}");
      HttpResponse<String> malformed = function.post(ceHeaders("evt-2", "incoming/x.jsonl"), "{not json");

      assertThat(accepted.statusCode()).isEqualTo(200);
      assertThat(malformed.statusCode()).isEqualTo(200);
      assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
      assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
      String logs = function.output();
      assertThat(logs).contains("\"run_id\":\"" + runId(blob).value() + "\"")
          .contains("\"severity\":\"ERROR\"").contains("malformed event");
      assertThat(logs).doesNotContain("prompt 1"); // no request contents in logs
    }
  }

  private static Map<String, String> ceHeaders(String id, String objectName) {
    return Map.of(
        "ce-id", id,
        "ce-specversion", "1.0",
        "ce-type", "google.cloud.storage.object.v1.finalized",
        "ce-source", "//storage.googleapis.com/projects/_/buckets/" + SubmitFixture.INBOX,
        "ce-subject", "objects/" + objectName,
        "ce-time", "2026-11-22T18:00:00Z");
  }
}
