package io.batchdrop.cloud.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A batch's operation JSON, as the Gemini API answers a get, mapped onto the recorded fields. */
class GeminiBatchJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant END = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void aSucceededBatchWithoutAResponsesFileIsStillFinishingForAnHourAfterItsEnd() throws Exception {
    BatchPredictionJob job = GeminiBatchJson.fromOperation(succeededWithoutFile());

    assertThat(GeminiBatchJson.responsesFile(succeededWithoutFile())).isEmpty();
    assertThat(GeminiBatchJson.responsesFileMayStillCome(job, END.plusSeconds(60))).isTrue();
    assertThat(GeminiBatchJson.responsesFileMayStillCome(job, END.plusSeconds(3599))).isTrue();
    assertThat(GeminiBatchJson.responsesFileMayStillCome(job, END.plusSeconds(3600)))
        .as("past the grace: done without output, never waited for for ever")
        .isFalse();
  }

  @Test
  void onlyASucceededBatchWaitsForItsFile() throws Exception {
    JsonNode failed =
        JSON.readTree(
            "{\"name\": \"batches/b1\", \"done\": true, \"metadata\": {\"state\":"
                + " \"BATCH_STATE_FAILED\", \"endTime\": \""
                + END
                + "\"}}");
    BatchPredictionJob job = GeminiBatchJson.fromOperation(failed);

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(GeminiBatchJson.responsesFileMayStillCome(job, END.plusSeconds(60))).isFalse();
  }

  private static JsonNode succeededWithoutFile() throws Exception {
    return JSON.readTree(
        "{\"name\": \"batches/b1\", \"done\": true, \"metadata\": {\"state\":"
            + " \"BATCH_STATE_SUCCEEDED\", \"createTime\": \"2026-12-01T09:00:00Z\", \"endTime\": \""
            + END
            + "\", \"batchStats\": {\"requestCount\": \"2\", \"successfulRequestCount\": \"2\"}}}");
  }
}
