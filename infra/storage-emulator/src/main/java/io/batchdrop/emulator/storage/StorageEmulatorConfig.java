package io.batchdrop.emulator.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link StorageEmulator} starts: where it listens, where it keeps objects (a directory, or
 * memory when empty) and how persistently it redelivers finalize notifications.
 */
public record StorageEmulatorConfig(
    String host,
    int port,
    Optional<Path> directory,
    Duration notificationBaseDelay,
    int notificationMaxAttempts) {

  public StorageEmulatorConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(notificationBaseDelay, "notificationBaseDelay");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    if (notificationBaseDelay.isNegative() || notificationBaseDelay.isZero()) {
      throw new IllegalArgumentException("notificationBaseDelay must be positive");
    }
    if (notificationMaxAttempts < 1) {
      throw new IllegalArgumentException("notificationMaxAttempts must be at least 1");
    }
  }

  /** 127.0.0.1 on a free port, objects in memory, redelivery every 50 ms doubling, 10 attempts. */
  public static StorageEmulatorConfig inMemory() {
    return new StorageEmulatorConfig("127.0.0.1", 0, Optional.empty(), Duration.ofMillis(50), 10);
  }

  public StorageEmulatorConfig withPort(int port) {
    return new StorageEmulatorConfig(
        host, port, directory, notificationBaseDelay, notificationMaxAttempts);
  }

  public StorageEmulatorConfig withDirectory(Path dir) {
    return new StorageEmulatorConfig(
        host, port, Optional.of(dir), notificationBaseDelay, notificationMaxAttempts);
  }

  public StorageEmulatorConfig withHost(String host) {
    return new StorageEmulatorConfig(
        host, port, directory, notificationBaseDelay, notificationMaxAttempts);
  }

  public StorageEmulatorConfig withNotificationRetries(Duration baseDelay, int maxAttempts) {
    return new StorageEmulatorConfig(host, port, directory, baseDelay, maxAttempts);
  }
}
