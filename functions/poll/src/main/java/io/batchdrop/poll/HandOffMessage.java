package io.batchdrop.poll;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import java.util.LinkedHashMap;
import java.util.Map;

/** The completions-topic message that hands a finished job to {@code publish} (DESIGN §6). */
record HandOffMessage(
    String jobId, String runId, String vertexName, String state, String outputDirectory) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static HandOffMessage from(DocumentSnapshot doc) {
    return new HandOffMessage(
        doc.getId(),
        doc.getString(JobDoc.RUN_ID),
        doc.getString(JobDoc.VERTEX_NAME),
        doc.getString(JobDoc.STATE),
        doc.getString(JobDoc.OUTPUT_DIRECTORY));
  }

  PubsubMessage toPubsub() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("jobId", jobId);
    data.put("runId", runId);
    data.put("vertexName", vertexName);
    data.put("state", state);
    data.put("outputDirectory", outputDirectory);
    try {
      return PubsubMessage.newBuilder()
          .setData(ByteString.copyFrom(JSON.writeValueAsBytes(data)))
          .putAttributes("job_id", jobId)
          .putAttributes("run_id", runId == null ? "" : runId)
          .build();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serializes", e);
    }
  }
}
