package io.batchdrop.poll;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import com.google.rpc.Status;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Vertex answer for a job, reduced to what Batchdrop records. Its {@link #digest()} covers
 * every recorded field except {@code updateTime}, so an answer that only touched the update time
 * (or nothing at all) costs no write.
 */
record Observation(BatchPredictionJob job, String digest) {

  static Observation of(BatchPredictionJob job) {
    // Only the fields these protos know: a newer Vertex's additions are unknown fields here, which
    // JsonFormat's printer left out and the wire format would keep; they are not recorded.
    BatchPredictionJob recorded =
        BatchPredictionJob.newBuilder()
            .setStateValue(job.getStateValue())
            .setCompletionStats(known(job.getCompletionStats()))
            .setError(known(job.getError()))
            .addAllPartialFailures(
                job.getPartialFailuresList().stream().map(Observation::known).toList())
            .setOutputInfo(known(job.getOutputInfo()))
            .setCreateTime(known(job.getCreateTime()))
            .setStartTime(known(job.getStartTime()))
            .setEndTime(known(job.getEndTime()))
            .build();
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonicalBytes(recorded));
      return new Observation(job, HexFormat.of().formatHex(hash, 0, 16));
    } catch (IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest a BatchPredictionJob", e);
    }
  }

  /**
   * The message in the protobuf wire format, deterministically (fields in number order, as the
   * generated code writes them; map entries sorted). Not {@code JsonFormat}: its printer built
   * reflective accessors and loaded its JSON writer on poll's first call (bench/coldstart.md).
   */
  private static byte[] canonicalBytes(BatchPredictionJob recorded) throws IOException {
    byte[] bytes = new byte[recorded.getSerializedSize()];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    recorded.writeTo(out);
    out.checkNoSpaceLeft();
    return bytes;
  }

  private static Status known(Status status) {
    return status.toBuilder()
        .setUnknownFields(UnknownFieldSet.getDefaultInstance())
        .clearDetails()
        .addAllDetails(status.getDetailsList().stream().map(Observation::known).toList())
        .build();
  }

  @SuppressWarnings("unchecked") // toBuilder().build() is the message's own type
  private static <M extends Message> M known(M message) {
    return (M) message.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build();
  }

  String state() {
    return VertexStates.name(job);
  }

  int stateValue() {
    return job.getStateValue();
  }

  boolean terminal() {
    return VertexStates.isTerminal(job);
  }

  Optional<Timestamp> updateTime() {
    return job.hasUpdateTime()
        ? Optional.of(Timestamp.fromProto(job.getUpdateTime()))
        : Optional.empty();
  }

  String outputDirectory() {
    return job.getOutputInfo().getGcsOutputDirectory();
  }

  /** The recorded fields, as Firestore stores them: numbers as numbers, times as timestamps. */
  Map<String, Object> fields() {
    Map<String, Object> fields = new HashMap<>();
    fields.put(JobDoc.STATE, state());
    fields.put(JobDoc.STATE_VALUE, (long) stateValue());
    fields.put(JobDoc.OBSERVED, digest);
    fields.put(
        JobDoc.COMPLETION_STATS,
        job.hasCompletionStats()
            ? Map.of(
                "successfulCount",
                job.getCompletionStats().getSuccessfulCount(),
                "failedCount",
                job.getCompletionStats().getFailedCount(),
                "incompleteCount",
                job.getCompletionStats().getIncompleteCount())
            : null);
    fields.put(JobDoc.ERROR, job.hasError() ? status(job.getError()) : null);
    List<Map<String, Object>> partial =
        job.getPartialFailuresList().stream().map(Observation::status).toList();
    fields.put(JobDoc.PARTIAL_FAILURES, partial);
    fields.put(JobDoc.OUTPUT_DIRECTORY, outputDirectory().isEmpty() ? null : outputDirectory());
    fields.put(
        JobDoc.VERTEX_CREATE_TIME,
        job.hasCreateTime() ? Timestamp.fromProto(job.getCreateTime()) : null);
    fields.put(
        JobDoc.VERTEX_START_TIME,
        job.hasStartTime() ? Timestamp.fromProto(job.getStartTime()) : null);
    // Vertex may leave endTime unset for EXPIRED and PARTIALLY_SUCCEEDED (reference §3): fall back.
    fields.put(
        JobDoc.VERTEX_END_TIME,
        job.hasEndTime()
            ? Timestamp.fromProto(job.getEndTime())
            : terminal() ? updateTime().orElse(null) : null);
    fields.put(JobDoc.VERTEX_UPDATE_TIME, updateTime().orElse(null));
    return fields;
  }

  private static Map<String, Object> status(Status status) {
    return Map.of("code", (long) status.getCode(), "message", status.getMessage());
  }
}
