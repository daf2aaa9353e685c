package io.batchdrop.cloud.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.storage.StorageOptions;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.emulator.vertex.VertexEmulator;
import io.batchdrop.emulator.vertex.VertexEmulatorConfig;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The create-or-adopt matrix, against the in-process Vertex emulator through the production client
 * settings, with fake time: backoffs move the clock instead of sleeping.
 */
class JobCreatorTest {
  private static VertexEmulator vertex;
  private static CloudClients clients;
  private static BatchdropConfig config;
  private final FakeTime time = new FakeTime(Instant.parse("2026-12-01T10:00:00Z"));
  private final List<Duration> pauses = new ArrayList<>();
  private JobCreator creator;
  private JobSpec spec;

  @BeforeAll
  static void start() throws Exception {
    // Never contacted: no job here leaves PENDING, so nothing reads or writes objects.
    var unusedStorage =
        StorageOptions.http()
            .setHost("http://127.0.0.1:9")
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    vertex =
        VertexEmulator.start(
            VertexEmulatorConfig.immediate(unusedStorage)
                .withDelays(Duration.ofHours(1), Duration.ofHours(1)));
    config =
        BatchdropConfig.fromEnvironment(
            Map.of(
                "GOOGLE_CLOUD_PROJECT", "p",
                "BATCHDROP_INBOX_BUCKET", "inbox",
                "BATCHDROP_WORK_BUCKET", "work",
                "BATCHDROP_RESULTS_TOPIC", "results",
                "BATCHDROP_EVENTS_TOPIC", "events",
                "BATCHDROP_COMPLETIONS_TOPIC", "completions",
                "VERTEX_ENDPOINT", vertex.endpoint(),
                // A withheld answer costs one second of real time, not a minute.
                "BATCHDROP_VERTEX_DEADLINE_SECONDS", "1"));
    clients = new CloudClients(config);
  }

  @AfterAll
  static void stop() throws Exception {
    clients.close();
    vertex.close();
  }

  @BeforeEach
  void setUp() {
    vertex.reset();
    creator =
        new JobCreator(
            clients.jobService(),
            config,
            pause -> {
              pauses.add(pause);
              time.advance(pause);
            },
            time);
    JobId jobId = new JobId(RunId.of("inbox", "f.jsonl", System.nanoTime()), 1, 1);
    WorkLayout layout = new WorkLayout("work");
    spec =
        new JobSpec(
            jobId,
            config.modelResource("gemini-2.5-flash"),
            layout.inputUri(jobId),
            layout.outputUriPrefix(jobId));
  }

  @AfterEach
  void noLeftovers() {
    pauses.clear();
  }

  private Instant claimEnd() {
    return time.instant().plus(config.vertexRetry().createWindow());
  }

  @Test
  void aFirstCreateIsOneCallAndNoLookup() throws Exception {
    BatchPredictionJob job = creator.createOrAdopt(spec, false, claimEnd(), () -> true);

    assertThat(job.getLabelsMap()).containsEntry(JobSpec.JOB_LABEL, spec.jobId().value());
    assertThat(vertex.jobs()).hasSize(1);
    assertThat(vertex.callCount("ListBatchPredictionJobs")).isZero();
  }

  @Test
  void aQuotaRefusalIsRetriedAfterADoublingBackoffWithoutALookup() throws Exception {
    vertex.knobs().failNextCreates(2, Status.Code.RESOURCE_EXHAUSTED);

    creator.createOrAdopt(spec, false, claimEnd(), () -> true);

    assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    assertThat(vertex.jobs()).hasSize(1);
    assertThat(vertex.callCount("ListBatchPredictionJobs")).isZero();
  }

  @Test
  void anAnswerLostAfterTheJobWasCreatedIsFoundByLabelAndAdoptedNeverCreatedTwice()
      throws Exception {
    vertex.knobs().withholdNextCreateAnswers(1);

    BatchPredictionJob job = creator.createOrAdopt(spec, false, claimEnd(), () -> true);

    assertThat(vertex.jobs())
        .singleElement()
        .extracting(BatchPredictionJob::getName)
        .isEqualTo(job.getName());
    assertThat(vertex.callCount("ListBatchPredictionJobs")).isPositive();
  }

  @Test
  void aCallerThatMayHaveCreatedBeforeLooksFirstAndAdopts() throws Exception {
    BatchPredictionJob first = creator.createOrAdopt(spec, false, claimEnd(), () -> true);

    BatchPredictionJob again = creator.createOrAdopt(spec, true, claimEnd(), () -> true);

    assertThat(again.getName()).isEqualTo(first.getName());
    assertThat(vertex.jobs()).hasSize(1);
  }

  @Test
  void aFailedLookupLeavesTheOutcomeUnknownNeverPermanent() throws Exception {
    vertex.knobs().failNextLists(1, Status.Code.UNAVAILABLE);

    BatchPredictionJob job = creator.createOrAdopt(spec, true, claimEnd(), () -> true);

    assertThat(job.getName()).isNotEmpty();
    assertThat(vertex.jobs()).hasSize(1);
  }

  @Test
  void aRefusalNoRetryChangesIsPermanentAtOnce() {
    vertex.knobs().failNextCreates(1, Status.Code.INVALID_ARGUMENT);

    assertThatThrownBy(() -> creator.createOrAdopt(spec, false, claimEnd(), () -> true))
        .isInstanceOfSatisfying(
            CreateFailure.class, failure -> assertThat(failure.permanent()).isTrue());
    assertThat(pauses).isEmpty();
  }

  @Test
  void aCallerWhoseClaimWasTakenNeverCallsCreate() {
    assertThatThrownBy(() -> creator.createOrAdopt(spec, false, claimEnd(), () -> false))
        .isInstanceOfSatisfying(
            CreateFailure.class, failure -> assertThat(failure.permanent()).isFalse());
    assertThat(vertex.callCount("CreateBatchPredictionJob")).isZero();
    assertThat(vertex.jobs()).isEmpty();
  }

  @Test
  void aCallerThatWokeAfterItsClaimRanOutNeverCallsCreate() {
    Instant end = claimEnd();
    // A throttled instance: its lookup returns when the claim has nearly run out.
    JobCreator.ClaimCheck lateWaker =
        () -> {
          time.set(end.minusMillis(500)); // less than one call deadline (1 s) left
          return true;
        };

    assertThatThrownBy(() -> creator.createOrAdopt(spec, true, end, lateWaker))
        .isInstanceOf(CreateFailure.class);
    assertThat(vertex.callCount("CreateBatchPredictionJob")).isZero();
  }

  @Test
  void noAttemptStartsThatCouldOutlastTheClaim() {
    Instant tooSoon = time.instant().plus(config.vertexRetry().attemptDuration()).minusSeconds(1);

    assertThatThrownBy(() -> creator.createOrAdopt(spec, false, tooSoon, () -> true))
        .isInstanceOfSatisfying(
            CreateFailure.class, failure -> assertThat(failure.permanent()).isFalse())
        .hasMessageContaining("no time left");
    assertThat(vertex.callCount("CreateBatchPredictionJob")).isZero();
  }

  @Test
  void attemptsRunOutAsAFailureALaterInvocationMayRetry() {
    vertex.knobs().failNextCreates(100, Status.Code.RESOURCE_EXHAUSTED);

    assertThatThrownBy(() -> creator.createOrAdopt(spec, false, claimEnd(), () -> true))
        .isInstanceOfSatisfying(
            CreateFailure.class,
            failure -> {
              assertThat(failure.permanent()).isFalse();
              assertThat(failure.getMessage()).contains("gave up after 5 attempts");
            });
    assertThat(vertex.jobs()).isEmpty();
  }

  /** Time that moves only when a test or a backoff moves it. */
  private static final class FakeTime extends Clock {
    private Instant now;

    FakeTime(Instant start) {
      this.now = start;
    }

    synchronized void advance(Duration by) {
      now = now.plus(by);
    }

    synchronized void set(Instant to) {
      now = to;
    }

    @Override
    public synchronized Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
