package io.batchdrop.emulator.vertex;

import com.google.cloud.storage.Storage;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link VertexEmulator} starts: where it listens, the storage client jobs read and write
 * through, how long a job stays PENDING and RUNNING, and which publisher models exist.
 *
 * @param host address to listen on (plaintext gRPC)
 * @param port port to listen on; 0 picks a free one
 * @param storage the official storage client jobs use for their input and output
 * @param pendingDelay time a new job stays PENDING; zero runs the whole job inside create
 * @param runningDelay time a job stays RUNNING after its output is written
 * @param models known publisher model ids, e.g. {@code gemini-2.5-flash}
 * @param jobLimits the requests and input bytes one job may read ({@link JobLimits#VERTEX})
 */
public record VertexEmulatorConfig(
    String host,
    int port,
    Storage storage,
    Duration pendingDelay,
    Duration runningDelay,
    Set<String> models,
    JobLimits jobLimits) {

  public static final Set<String> DEFAULT_MODELS =
      Set.of(
          "gemini-2.5-flash",
          "gemini-2.5-pro",
          "gemini-2.5-flash-lite",
          "gemini-2.0-flash-001",
          "gemini-2.0-flash-lite-001");

  public VertexEmulatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(pendingDelay, "pendingDelay");
    Objects.requireNonNull(runningDelay, "runningDelay");
    Objects.requireNonNull(jobLimits, "jobLimits");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (pendingDelay.isNegative() || runningDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    models = Set.copyOf(Objects.requireNonNull(models, "models"));
  }

  /** 127.0.0.1, a free port, zero delays and the default models: jobs finish inside create. */
  public static VertexEmulatorConfig immediate(Storage storage) {
    return new VertexEmulatorConfig(
        "127.0.0.1", 0, storage, Duration.ZERO, Duration.ZERO, DEFAULT_MODELS, JobLimits.VERTEX);
  }

  public VertexEmulatorConfig withPort(int port) {
    return new VertexEmulatorConfig(
        host, port, storage, pendingDelay, runningDelay, models, jobLimits);
  }

  public VertexEmulatorConfig withDelays(Duration pending, Duration running) {
    return new VertexEmulatorConfig(host, port, storage, pending, running, models, jobLimits);
  }

  public VertexEmulatorConfig withModels(Set<String> models) {
    return new VertexEmulatorConfig(
        host, port, storage, pendingDelay, runningDelay, models, jobLimits);
  }

  /** The same emulator with other limits on what one job may read (tests use small ones). */
  public VertexEmulatorConfig withJobLimits(JobLimits jobLimits) {
    return new VertexEmulatorConfig(
        host, port, storage, pendingDelay, runningDelay, models, jobLimits);
  }
}
