package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.storage.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Instance knobs: how jobs end, their output, and jobs that take time. */
class JobKnobTest {
  @RegisterExtension static final FreshVertex VERTEX = new FreshVertex();

  private final LocalVertex local = VERTEX.local();

  private static List<String> rows(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> InputLines.prompt("row-" + i, "q" + i))
        .toList();
  }

  @Test
  void jobsCanEndPartiallySucceededWithTheirOutput() {
    local.vertex.knobs().endJobsAs(JobState.JOB_STATE_PARTIALLY_SUCCEEDED);

    BatchPredictionJob job = local.run("job-a", rows(4));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_PARTIALLY_SUCCEEDED);
    assertThat(job.hasError()).isFalse();
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(4);
    assertThat(local.outputRows(job)).hasSize(4);
  }

  @Test
  void failedJobsCarryAnErrorAndNoOutputUnlessPartialOutputIsOn() {
    local.vertex.knobs().endJobsAs(JobState.JOB_STATE_FAILED);
    BatchPredictionJob bare = local.run("job-a", rows(4));

    assertThat(bare.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(bare.getError().getCode()).isEqualTo(13);
    assertThat(bare.hasOutputInfo()).isFalse();
    assertThat(bare.getCompletionStats().getIncompleteCount()).isEqualTo(4);

    local.vertex.knobs().partialOutput(true);
    BatchPredictionJob partial = local.run("job-b", rows(5));

    assertThat(partial.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(partial.getCompletionStats().getSuccessfulCount()).isEqualTo(3);
    assertThat(partial.getCompletionStats().getIncompleteCount()).isEqualTo(2);
    assertThat(local.outputRows(partial))
        .extracting(row -> row.path("key").asText())
        .containsExactlyInAnyOrder("row-1", "row-2", "row-3");
  }

  @Test
  void cancelledJobsCanKeepPartialOutput() {
    local.vertex.knobs().endJobsAs(JobState.JOB_STATE_CANCELLED).partialOutput(true);

    BatchPredictionJob job = local.run("job-a", rows(2));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(job.getError().getCode()).isEqualTo(1);
    assertThat(local.outputRows(job)).hasSize(1);
  }

  @Test
  void expiredJobsNeverRan() {
    local.vertex.knobs().endJobsAs(JobState.JOB_STATE_EXPIRED);

    BatchPredictionJob job = local.run("job-a", rows(2));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_EXPIRED);
    assertThat(job.hasStartTime()).isFalse();
    assertThat(job.hasEndTime()).isTrue();
    assertThat(job.hasCompletionStats()).isFalse();
    assertThat(job.hasOutputInfo()).isFalse();
  }

  @Test
  void outputCanBeSplitOverSeveralPredictionsFiles() {
    local.vertex.knobs().outputFiles(3);

    BatchPredictionJob job = local.run("job-a", rows(10));

    assertThat(local.outputFiles(job))
        .containsExactly(
            "predictions_0001.jsonl", "predictions_0002.jsonl", "predictions_0003.jsonl");
    assertThat(local.outputRows(job))
        .extracting(row -> row.path("key").asText())
        .containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, 10).mapToObj(i -> "row-" + i).toList());
  }

  @Test
  void invalidJsonCanFailTheWholeJobAtImport() {
    local.vertex.knobs().invalidJsonFailsJob(true);

    BatchPredictionJob job = local.run("job-a", List.of(InputLines.prompt("k1", "a"), "{broken"));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(3);
    assertThat(job.getError().getMessage()).startsWith("Failed to import data.");
    assertThat(job.hasOutputInfo()).isFalse();
  }

  @Test
  void knobsChangedAfterCreateDoNotTouchExistingJobs() {
    local.vertex.knobs().delays(Duration.ofHours(1), Duration.ofHours(1));
    String input = local.upload("input/job-a.jsonl", rows(1));
    String name =
        local
            .client
            .createBatchPredictionJob(
                JobRequests.PARENT,
                JobRequests.gemini("job-a", input, "gs://work/output/job-a").build())
            .getName();

    local.vertex.knobs().delays(Duration.ZERO, Duration.ZERO).endJobsAs(JobState.JOB_STATE_FAILED);

    assertThat(local.client.getBatchPredictionJob(name).getState())
        .isEqualTo(JobState.JOB_STATE_PENDING);
  }

  @Test
  void withZeroDelaysCancelOfARunningJobEndsItAtOnce() {
    BatchPredictionJob job = local.run("job-a", rows(2));
    local.vertex.forceState(job.getName(), JobState.JOB_STATE_RUNNING);

    local.client.cancelBatchPredictionJob(job.getName());

    BatchPredictionJob cancelled = local.client.getBatchPredictionJob(job.getName());
    assertThat(cancelled.getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(cancelled.getError().getCode()).isEqualTo(1);
    assertThat(cancelled.getCompletionStats().getSuccessfulCount()).isEqualTo(2);
  }

  @Test
  void withDelaysAJobMovesThroughPendingAndRunningOnItsOwn() {
    local.vertex.knobs().delays(Duration.ofMillis(100), Duration.ofMillis(100));
    String input = local.upload("input/job-a.jsonl", rows(3));
    BatchPredictionJob created =
        local.client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a", input, "gs://work/output/job-a").build());

    List<JobState> seen = new ArrayList<>();
    BatchPredictionJob done =
        awaitJob(
            created.getName(),
            job -> {
              if (seen.isEmpty() || seen.get(seen.size() - 1) != job.getState()) {
                seen.add(job.getState());
              }
              return JobStates.isTerminal(job);
            });

    assertThat(created.getState()).isEqualTo(JobState.JOB_STATE_PENDING);
    assertThat(seen)
        .isSubsetOf(
            JobState.JOB_STATE_PENDING, JobState.JOB_STATE_RUNNING, JobState.JOB_STATE_SUCCEEDED)
        .endsWith(JobState.JOB_STATE_SUCCEEDED);
    assertThat(done.hasStartTime()).isTrue();
    assertThat(done.getCompletionStats().getSuccessfulCount()).isEqualTo(3);
    assertThat(local.outputRows(done)).hasSize(3);
  }

  @Test
  void aJobCancelledWhileRunningKeepsTheRowsItWrote() {
    local.vertex.knobs().delays(Duration.ofMillis(50), Duration.ofHours(1));
    String input = local.upload("input/job-a.jsonl", rows(3));
    String name =
        local
            .client
            .createBatchPredictionJob(
                JobRequests.PARENT,
                JobRequests.gemini("job-a", input, "gs://work/output/job-a").build())
            .getName();

    awaitJob(
        name,
        job -> job.getState() == JobState.JOB_STATE_RUNNING && outputWritten("output/job-a/"));

    local.client.cancelBatchPredictionJob(name);
    BatchPredictionJob cancelled =
        awaitJob(name, job -> job.getState() != JobState.JOB_STATE_CANCELLING);

    assertThat(cancelled.getState()).isEqualTo(JobState.JOB_STATE_CANCELLED);
    assertThat(cancelled.getCompletionStats().getSuccessfulCount()).isEqualTo(3);
    assertThat(local.outputRows(cancelled)).hasSize(3);
  }

  private boolean outputWritten(String prefix) {
    return local
        .storage
        .list(LocalVertex.BUCKET, Storage.BlobListOption.prefix(prefix))
        .iterateAll()
        .iterator()
        .hasNext();
  }

  /**
   * Polls get until {@code done} holds, failing after a generous deadline (not a timing assertion).
   */
  private BatchPredictionJob awaitJob(String name, Predicate<BatchPredictionJob> done) {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      BatchPredictionJob job = local.client.getBatchPredictionJob(name);
      if (done.test(job)) {
        return job;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("job " + name + " did not reach the expected state in time");
  }
}
