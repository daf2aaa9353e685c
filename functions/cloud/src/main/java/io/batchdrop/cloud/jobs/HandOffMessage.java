package io.batchdrop.cloud.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.run.JobId;
import java.io.IOException;

/**
 * The completions-topic message that hands a finished job to {@code publish} (design §6): sent by
 * {@code poll} when a job reaches a terminal state (and again while it is not published), and by
 * {@code publish} itself to continue in a new invocation. It only names the job; the job document
 * is the truth, so a stale or repeated hand-off is harmless.
 */
public record HandOffMessage(
    String jobId, String runId, String vertexName, String state, String outputDirectory) {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Far above any real hand-off: a bigger one is refused unread. */
  private static final int MAX_BYTES = 64 * 1024;

  public static HandOffMessage from(DocumentSnapshot doc) {
    return new HandOffMessage(
        doc.getId(),
        doc.getString(JobDoc.RUN_ID),
        doc.getString(JobDoc.VERTEX_NAME),
        doc.getString(JobDoc.STATE),
        doc.getString(JobDoc.OUTPUT_DIRECTORY));
  }

  public PubsubMessage encode() {
    try {
      return PubsubMessage.newBuilder()
          .setData(ByteString.copyFrom(JSON.writeValueAsBytes(this)))
          .putAttributes("job_id", jobId)
          .putAttributes("run_id", runId == null ? "" : runId)
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of strings always serializes", e);
    }
  }

  /**
   * Reads a hand-off from a message's data.
   *
   * @throws MalformedHandOffException when it is not a hand-off: too big, not JSON, or without a
   *     valid job id (a retry cannot fix it)
   */
  public static HandOffMessage decode(byte[] data) throws MalformedHandOffException {
    if (data.length > MAX_BYTES) {
      throw new MalformedHandOffException(
          "the message is " + data.length + " bytes; expected a hand-off of at most " + MAX_BYTES);
    }
    HandOffMessage message;
    try {
      message = JSON.readValue(data, HandOffMessage.class);
    } catch (JsonProcessingException e) {
      throw new MalformedHandOffException(
          "the message is not a hand-off JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedHandOffException("the message cannot be read: " + e.getMessage());
    }
    if (message == null || message.jobId() == null) {
      throw new MalformedHandOffException("the hand-off has no jobId; expected {\"jobId\": …}");
    }
    try {
      JobId parsed = JobId.parse(message.jobId());
      if (message.runId() != null && !message.runId().equals(parsed.run().value())) {
        throw new MalformedHandOffException(
            "the hand-off's runId " + message.runId() + " is not the run of job " + parsed);
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedHandOffException(
          "the hand-off's jobId is not a job id {runId}-s{shard}-a{attempt}");
    }
    return message;
  }

  /** Not a hand-off; logged and dropped. */
  public static final class MalformedHandOffException extends Exception {
    public MalformedHandOffException(String message) {
      super(message);
    }
  }
}
