package io.batchdrop.cloud.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.CompletionStats;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.Status;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Gemini API batch (an Operation: {@code name}, {@code done}, {@code error}, and {@code metadata}
 * with {@code state}, {@code batchStats}, {@code output.responsesFile} and the times), mapped onto
 * the fields Batchdrop records. States arrive as {@code BATCH_STATE_*} on the wire and as {@code
 * JOB_STATE_*} through the SDK; both map to the same Vertex state. {@code batchStats} (int64 as
 * strings, zeros left out) becomes {@code completionStats}: successful, failed, and pending as
 * incomplete.
 */
final class GeminiBatchJson {
  private GeminiBatchJson() {}

  static JobState state(String name) {
    if (name == null) {
      return JobState.JOB_STATE_UNSPECIFIED;
    }
    String suffix =
        name.startsWith("BATCH_STATE_")
            ? name.substring("BATCH_STATE_".length())
            : name.startsWith("JOB_STATE_") ? name.substring("JOB_STATE_".length()) : name;
    try {
      return JobState.valueOf("JOB_STATE_" + suffix);
    } catch (IllegalArgumentException e) {
      return JobState.JOB_STATE_UNSPECIFIED; // odd: poll's watchdog looks at it
    }
  }

  static BatchPredictionJob fromOperation(JsonNode operation) {
    JsonNode metadata = operation.path("metadata");
    BatchPredictionJob.Builder job =
        BatchPredictionJob.newBuilder()
            .setName(operation.path("name").asText())
            .setDisplayName(metadata.path("displayName").asText(""))
            .setModel(metadata.path("model").asText(""))
            .setState(state(metadata.path("state").textValue()));
    time(metadata, "createTime").ifPresent(job::setCreateTime);
    time(metadata, "updateTime").ifPresent(job::setUpdateTime);
    time(metadata, "endTime").ifPresent(job::setEndTime);
    JsonNode stats = metadata.path("batchStats");
    if (stats.isObject()) {
      job.setCompletionStats(
          CompletionStats.newBuilder()
              .setSuccessfulCount(count(stats, "successfulRequestCount"))
              .setFailedCount(count(stats, "failedRequestCount"))
              .setIncompleteCount(count(stats, "pendingRequestCount")));
    }
    JsonNode error = operation.path("error");
    if (error.isObject()) {
      job.setError(
          Status.newBuilder()
              .setCode(error.path("code").asInt())
              .setMessage(error.path("message").asText("")));
    }
    return job.build();
  }

  /**
   * How long after its end a SUCCEEDED batch that names no responses file is still taken to be
   * finishing: the real API was seen to report SUCCEEDED before {@code responsesFile} was set
   * (tidyverse/ellmer#926). Past it the batch is done without output, so its rows are not waited
   * for for ever.
   */
  static final Duration RESPONSES_FILE_GRACE = Duration.ofHours(1);

  /**
   * True for a SUCCEEDED batch without a responses file whose end (else last update, else creation)
   * is less than {@link #RESPONSES_FILE_GRACE} before {@code now}.
   */
  static boolean responsesFileMayStillCome(BatchPredictionJob job, Instant now) {
    Timestamp since =
        job.hasEndTime()
            ? job.getEndTime()
            : job.hasUpdateTime() ? job.getUpdateTime() : job.getCreateTime();
    Instant end = Instant.ofEpochSecond(since.getSeconds(), since.getNanos());
    return job.getState() == JobState.JOB_STATE_SUCCEEDED
        && now.isBefore(end.plus(RESPONSES_FILE_GRACE));
  }

  /** The uploaded file a batch reads its requests from, {@code files/…}; empty for inline ones. */
  static Optional<String> inputFile(JsonNode operation) {
    String file = operation.path("metadata").path("inputConfig").path("fileName").textValue();
    return Optional.ofNullable(file).filter(f -> !f.isEmpty());
  }

  /** The responses file of a finished batch, {@code files/batch-…}; empty when there is none. */
  static Optional<String> responsesFile(JsonNode operation) {
    String file = operation.path("metadata").path("output").path("responsesFile").textValue();
    if (file == null) {
      file = operation.path("response").path("responsesFile").textValue();
    }
    return Optional.ofNullable(file).filter(f -> !f.isEmpty());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static Optional<Timestamp> time(JsonNode metadata, String field) {
    String text = metadata.path(field).textValue();
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Timestamps.parse(text));
    } catch (ParseException e) {
      return Optional.empty();
    }
  }

  private static long count(JsonNode stats, String field) {
    JsonNode value = stats.path(field);
    if (value.isNumber()) {
      return value.asLong();
    }
    try {
      return value.isTextual() ? Long.parseLong(value.textValue()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
