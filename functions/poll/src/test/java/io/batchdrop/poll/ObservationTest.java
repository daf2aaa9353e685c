package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.CompletionStats;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import com.google.rpc.Status;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ObservationTest {
  private static final BatchPredictionJob RUNNING =
      BatchPredictionJob.newBuilder()
          .setName("projects/p/locations/us-central1/batchPredictionJobs/42")
          .setDisplayName("batchdrop-0123456789abcdef0123-00")
          .setState(JobState.JOB_STATE_RUNNING)
          .setCompletionStats(
              CompletionStats.newBuilder().setSuccessfulCount(7).setFailedCount(1).build())
          .addPartialFailures(Status.newBuilder().setCode(3).setMessage("row 4: bad request"))
          .setCreateTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
          .setStartTime(Timestamp.newBuilder().setSeconds(1_700_000_060L))
          .setUpdateTime(Timestamp.newBuilder().setSeconds(1_700_000_120L))
          .putLabels("batchdrop-run", "0123456789abcdef0123")
          .build();

  @Test
  void theDigestOfAnAnswerIsPinnedSoAChangeOfItIsNoticedBeforeARelease() {
    // Changing how the digest is made makes every job in flight look changed once after a
    // deploy: one extra write per job and a refresh per run, with no event (bench/coldstart.md).
    assertThat(Observation.of(RUNNING).digest()).isEqualTo("ec174c0f2e866de226e300af6d61fc65");
  }

  @Test
  void anAnswerThatOnlyMovedItsUpdateTimeOrUnrecordedFieldsHasTheSameDigest() {
    String digest = Observation.of(RUNNING).digest();

    assertThat(
            List.of(
                changed(b -> b.setUpdateTime(Timestamp.newBuilder().setSeconds(1_800_000_000L))),
                changed(b -> b.setDisplayName("renamed")),
                changed(b -> b.putLabels("other", "label")),
                changed(b -> b.setModel("publishers/google/models/gemini-2.5-flash"))))
        .allSatisfy(job -> assertThat(Observation.of(job).digest()).isEqualTo(digest));
  }

  @Test
  void everyRecordedFieldChangesTheDigest() {
    String digest = Observation.of(RUNNING).digest();

    assertThat(
            List.of(
                changed(b -> b.setState(JobState.JOB_STATE_SUCCEEDED)),
                changed(b -> b.setStateValue(42)),
                changed(b -> b.getCompletionStatsBuilder().setSuccessfulCount(8)),
                changed(b -> b.getCompletionStatsBuilder().setIncompleteCount(1)),
                changed(b -> b.setError(Status.newBuilder().setCode(13).setMessage("internal"))),
                changed(b -> b.clearPartialFailures()),
                changed(b -> b.getPartialFailuresBuilder(0).setMessage("row 5: bad request")),
                changed(
                    b ->
                        b.getOutputInfoBuilder().setGcsOutputDirectory("gs://work/out/prediction")),
                changed(b -> b.setCreateTime(Timestamp.newBuilder().setSeconds(1))),
                changed(b -> b.setStartTime(Timestamp.newBuilder().setSeconds(1_700_000_061L))),
                changed(b -> b.setEndTime(Timestamp.newBuilder().setSeconds(1_700_000_900L)))))
        .allSatisfy(job -> assertThat(Observation.of(job).digest()).isNotEqualTo(digest));
  }

  @Test
  void fieldsANewerVertexSendsThatTheseProtosDoNotKnowLeaveTheDigestAsItWas() {
    UnknownFieldSet unknown =
        UnknownFieldSet.newBuilder()
            .addField(999, UnknownFieldSet.Field.newBuilder().addVarint(12_345).build())
            .build();
    BatchPredictionJob newer =
        changed(
            b -> {
              b.getCompletionStatsBuilder().setUnknownFields(unknown);
              b.getCreateTimeBuilder().setUnknownFields(unknown);
              b.getPartialFailuresBuilder(0).setUnknownFields(unknown);
              b.setUnknownFields(unknown);
            });

    assertThat(Observation.of(newer).digest()).isEqualTo(Observation.of(RUNNING).digest());
  }

  @Test
  void theDigestIsTheSameInEveryCallAndForAnEqualMessage() {
    BatchPredictionJob copy = BatchPredictionJob.newBuilder(RUNNING).build();

    assertThat(Observation.of(copy).digest())
        .isEqualTo(Observation.of(RUNNING).digest())
        .hasSize(32)
        .matches("[0-9a-f]+");
  }

  private static BatchPredictionJob changed(Consumer<BatchPredictionJob.Builder> change) {
    BatchPredictionJob.Builder builder = RUNNING.toBuilder();
    change.accept(builder);
    return builder.build();
  }
}
