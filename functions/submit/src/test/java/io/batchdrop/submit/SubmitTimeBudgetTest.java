package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.finalized;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.storage.Blob;
import io.batchdrop.emulator.vertex.VertexEmulator;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A file of more shards than one invocation can create jobs for within submit's timeout. */
@LocalCloudTest
class SubmitTimeBudgetTest {
  @Fixture private SubmitFixture fx;

  @Test
  void aFileWhoseShardsOutlastOneInvocationGetsOneJobPerShardOverUncountedRedeliveries(
      LocalCloud cloud) throws Exception {
    // 40 shards of one row; each create costs 20 s of the invocation's 540 s, of which 60 s are
    // kept for recording and no create starts with less than one attempt (120 s) left: 19 a call.
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "1"));
    Blob blob = fx.upload("incoming/many-shards.jsonl", lines(40));
    UploadedObject object = FinalizeEvent.parse(finalized(blob));
    Clock clock = new CreatesTakeTime(cloud.vertexEmulator(), Duration.ofSeconds(20));
    List<String> failedDeliveries = new ArrayList<>();

    for (int delivery = 0; delivery < 10 && !pastSubmit(fx.run(blob).getString("state")); ) {
      delivery++;
      try {
        fx.submitter(clock).handle(object);
      } catch (Exception e) {
        failedDeliveries.add(e.getMessage()); // Eventarc redelivers it
      }
    }

    String run = runId(blob).value();
    assertThat(pastSubmit(fx.run(blob).getString("state"))).isTrue();
    assertThat(failedDeliveries).hasSize(2);
    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(40);
    assertThat(cloud.vertexEmulator().jobs())
        .extracting(BatchPredictionJob::getDisplayName)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.rangeClosed(1, 40).mapToObj(s -> run + "-s" + s + "-a1").toList());
    assertThat(fx.jobsOf(blob))
        .hasSize(40)
        .allSatisfy(job -> assertThat(job.getString("vertexName")).isNotNull());
    // A delivery that ran out of time moved the run on: poll's watchdog, which ends a run after
    // BATCHDROP_RUN_MAX_FAILURES counted failures, must not count it.
    assertThat(fx.run(blob).get("failures")).isNull();
  }

  private static boolean pastSubmit(String state) {
    return "SUBMITTED".equals(state) || "RUNNING".equals(state);
  }

  /** Time that passes only as creates are sent: each costs {@code perCreate}. */
  private static final class CreatesTakeTime extends Clock {
    private final Instant start = Instant.now();
    private final VertexEmulator vertex;
    private final Duration perCreate;

    CreatesTakeTime(VertexEmulator vertex, Duration perCreate) {
      this.vertex = vertex;
      this.perCreate = perCreate;
    }

    @Override
    public Instant instant() {
      return start.plus(perCreate.multipliedBy(vertex.callCount("CreateBatchPredictionJob")));
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
