package io.batchdrop.emulator.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link StorageEmulator} starts: where it listens, where it keeps objects (a directory, or
 * memory when empty), how persistently it redelivers finalize notifications, and whether it also
 * listens for HTTPS (gsutil speaks only HTTPS to a custom JSON API host).
 */
public record StorageEmulatorConfig(
    String host,
    int port,
    Optional<Path> directory,
    Duration notificationBaseDelay,
    int notificationMaxAttempts,
    Optional<Https> https) {

  /**
   * A second listener speaking TLS with a certificate made at start.
   *
   * @param port 0 for a free port
   * @param certificateFile where the certificate is written as PEM, for clients to trust as their
   *     CA
   */
  public record Https(int port, Path certificateFile) {
    public Https {
      Objects.requireNonNull(certificateFile, "certificateFile");
      checkPort(port);
    }
  }

  public StorageEmulatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(https, "https");
    Objects.requireNonNull(notificationBaseDelay, "notificationBaseDelay");
    checkPort(port);
    if (notificationBaseDelay.isNegative() || notificationBaseDelay.isZero()) {
      throw new IllegalArgumentException("notificationBaseDelay must be positive");
    }
    if (notificationMaxAttempts < 1) {
      throw new IllegalArgumentException("notificationMaxAttempts must be at least 1");
    }
  }

  /** 127.0.0.1 on a free port, objects in memory, redelivery every 50 ms doubling, 10 attempts. */
  public static StorageEmulatorConfig inMemory() {
    return new StorageEmulatorConfig(
        "127.0.0.1", 0, Optional.empty(), Duration.ofMillis(50), 10, Optional.empty());
  }

  public StorageEmulatorConfig withPort(int port) {
    return new StorageEmulatorConfig(
        host, port, directory, notificationBaseDelay, notificationMaxAttempts, https);
  }

  public StorageEmulatorConfig withDirectory(Path dir) {
    return new StorageEmulatorConfig(
        host, port, Optional.of(dir), notificationBaseDelay, notificationMaxAttempts, https);
  }

  public StorageEmulatorConfig withHost(String host) {
    return new StorageEmulatorConfig(
        host, port, directory, notificationBaseDelay, notificationMaxAttempts, https);
  }

  public StorageEmulatorConfig withNotificationRetries(Duration baseDelay, int maxAttempts) {
    return new StorageEmulatorConfig(host, port, directory, baseDelay, maxAttempts, https);
  }

  /** Also listens for HTTPS on {@code port}, writing its certificate to {@code certificateFile}. */
  public StorageEmulatorConfig withHttps(int port, Path certificateFile) {
    return new StorageEmulatorConfig(
        host,
        this.port,
        directory,
        notificationBaseDelay,
        notificationMaxAttempts,
        Optional.of(new Https(port, certificateFile)));
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
  }
}
