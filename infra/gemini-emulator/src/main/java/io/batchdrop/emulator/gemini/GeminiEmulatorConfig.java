package io.batchdrop.emulator.gemini;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GeminiEmulator} starts.
 *
 * @param host address to listen on (plain HTTP)
 * @param port port to listen on; 0 picks a free one
 * @param apiKey the one API key the emulator accepts
 * @param clock the time batches move on and files expire by: a test can move it instead of sleeping
 * @param pendingDelay time a new batch stays PENDING
 * @param runningDelay time a batch stays RUNNING before its rows are answered
 * @param maxFileBytes the largest file the Files API takes (2 GB, as the real one)
 */
public record GeminiEmulatorConfig(
    String host,
    int port,
    String apiKey,
    Clock clock,
    Duration pendingDelay,
    Duration runningDelay,
    long maxFileBytes) {

  /** The Files API's per-file limit. */
  public static final long MAX_FILE_BYTES = 2L * 1000 * 1000 * 1000;

  public GeminiEmulatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(clock, "clock");
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("the API key must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (pendingDelay.isNegative() || runningDelay.isNegative()) {
      throw new IllegalArgumentException("delays must not be negative");
    }
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("maxFileBytes must be positive");
    }
  }

  /** 127.0.0.1, a free port, the system clock and zero delays: a batch is done when created. */
  public static GeminiEmulatorConfig immediate(String apiKey) {
    return new GeminiEmulatorConfig(
        "127.0.0.1", 0, apiKey, Clock.systemUTC(), Duration.ZERO, Duration.ZERO, MAX_FILE_BYTES);
  }

  public GeminiEmulatorConfig withPort(int port) {
    return new GeminiEmulatorConfig(
        host, port, apiKey, clock, pendingDelay, runningDelay, maxFileBytes);
  }

  public GeminiEmulatorConfig withClock(Clock clock) {
    return new GeminiEmulatorConfig(
        host, port, apiKey, clock, pendingDelay, runningDelay, maxFileBytes);
  }

  public GeminiEmulatorConfig withDelays(Duration pending, Duration running) {
    return new GeminiEmulatorConfig(host, port, apiKey, clock, pending, running, maxFileBytes);
  }

  public GeminiEmulatorConfig withMaxFileBytes(long maxFileBytes) {
    return new GeminiEmulatorConfig(
        host, port, apiKey, clock, pendingDelay, runningDelay, maxFileBytes);
  }
}
