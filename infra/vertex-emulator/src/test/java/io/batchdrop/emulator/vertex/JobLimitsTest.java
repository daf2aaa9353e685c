package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A job past Vertex's requests or input bytes fails at import, as the real one does. */
class JobLimitsTest {
  private static final List<String> THREE =
      List.of(
          InputLines.prompt("k1", "a"), InputLines.prompt("k2", "b"), InputLines.prompt("k3", "c"));

  /** The bytes of {@link #THREE} as {@link LocalVertex#upload} writes them. */
  private static final long THREE_BYTES =
      (String.join("\n", THREE) + "\n").getBytes(StandardCharsets.UTF_8).length;

  @RegisterExtension
  static final FreshVertex VERTEX =
      new FreshVertex(config -> config.withJobLimits(new JobLimits(3, THREE_BYTES)));

  private final LocalVertex local = VERTEX.local();

  @Test
  void aJobAtBothLimitsRuns() {
    BatchPredictionJob job = local.run("at-limits", THREE);

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(job.getCompletionStats().getSuccessfulCount()).isEqualTo(3);
  }

  @Test
  void aJobOfMoreRequestsThanVertexTakesFailsAtImport() {
    BatchPredictionJob job =
        local.run("four-rows", List.of("{}", "{}", "{}", "{}")); // 12 bytes: within the bytes

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(3);
    assertThat(job.getError().getMessage())
        .isEqualTo(
            "Failed to import data. Please check 'Prepare input' section in the doc. The input has"
                + " more than 3 requests, the most one batch prediction job takes.");
    assertThat(job.getOutputInfo().getGcsOutputDirectory()).isEmpty();
  }

  @Test
  void aJobOfMoreInputBytesThanVertexTakesFailsAtImport() {
    BatchPredictionJob job =
        local.run("long-rows", List.of(THREE.get(0), THREE.get(1) + "  ", THREE.get(2)));

    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(job.getError().getCode()).isEqualTo(3);
    assertThat(job.getError().getMessage())
        .endsWith(
            "The input is "
                + (THREE_BYTES + 2)
                + " bytes; a batch prediction job reads at most "
                + THREE_BYTES
                + " bytes.");
  }

  @Test
  void theEmulatorsDefaultsAreVertexsLimits() {
    assertThat(JobLimits.VERTEX).isEqualTo(new JobLimits(200_000, 1_000_000_000L));
    assertThat(VertexEmulatorConfig.immediate(local.storage).jobLimits())
        .isEqualTo(JobLimits.VERTEX);
  }
}
