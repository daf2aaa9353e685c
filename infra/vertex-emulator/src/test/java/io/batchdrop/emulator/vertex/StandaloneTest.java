package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The emulator as the local stack runs it: its own process, configured by flags. */
class StandaloneTest {

  @Test
  void flagsConfigureTheEmulator() {
    StandaloneOptions options =
        StandaloneOptions.parse(
            new String[] {
              "--port",
              "7000",
              "--storage-host",
              "127.0.0.1:9023",
              "--pending-delay-ms",
              "1500",
              "--running-delay-ms",
              "2500",
              "--models",
              "a,b"
            },
            Map.of());

    assertThat(options.port()).isEqualTo(7000);
    assertThat(options.storageHost()).isEqualTo("http://127.0.0.1:9023");
    assertThat(options.pendingDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(options.runningDelay()).isEqualTo(Duration.ofMillis(2500));
    assertThat(options.models()).isEqualTo(Set.of("a", "b"));
  }

  @Test
  void defaultsNeedOnlyTheStorageHostWhichMayComeFromTheEnvironment() {
    StandaloneOptions options =
        StandaloneOptions.parse(
            new String[0], Map.of("STORAGE_EMULATOR_HOST", "http://127.0.0.1:9023"));

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(9024);
    assertThat(options.pendingDelay()).isZero();
    assertThat(options.models()).isEqualTo(VertexEmulatorConfig.DEFAULT_MODELS);
  }

  @Test
  void badFlagsAreRejectedWithTheirName() {
    assertThatThrownBy(() -> StandaloneOptions.parse(new String[0], Map.of()))
        .hasMessageContaining("--storage-host");
    assertThatThrownBy(
            () ->
                StandaloneOptions.parse(
                    new String[] {"--port", "x", "--storage-host", "h"}, Map.of()))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> StandaloneOptions.parse(new String[] {"--colour", "red"}, Map.of()))
        .hasMessageContaining("--colour");
  }

  @Test
  void theProcessPrintsOneLineOnceItListensAndServesTheApi() throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                VertexEmulator.class.getName(),
                "--port",
                "0",
                "--storage-host",
                "http://127.0.0.1:9")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(60, TimeUnit.SECONDS);

      assertThat(line).matches("vertex emulator listening on 127\\.0\\.0\\.1:\\d+");
      String endpoint = line.substring("vertex emulator listening on ".length());
      try (JobServiceClient client = JobServiceClients.plaintext(endpoint)) {
        assertThat(
                client
                    .listBatchPredictionJobs(
                        ListBatchPredictionJobsRequest.newBuilder()
                            .setParent(JobRequests.PARENT)
                            .build())
                    .iterateAll())
            .isEmpty();
      }
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
