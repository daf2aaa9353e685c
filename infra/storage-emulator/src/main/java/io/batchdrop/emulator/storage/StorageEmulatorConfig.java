package io.batchdrop.emulator.storage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link StorageEmulator} starts: where it listens, where it keeps objects (a directory, or
 * memory when empty), how it delivers finalize notifications, and whether it also listens for HTTPS
 * (gsutil speaks only HTTPS to a custom JSON API host).
 */
public record StorageEmulatorConfig(
    String host,
    int port,
    Optional<Path> directory,
    DeliveryPolicy notifications,
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
    Objects.requireNonNull(notifications, "notifications");
    checkPort(port);
  }

  /**
   * 127.0.0.1 on a free port, objects in memory, notifications delivered as Eventarc does ({@link
   * DeliveryPolicy#EVENTARC}).
   */
  public static StorageEmulatorConfig inMemory() {
    return new StorageEmulatorConfig(
        "127.0.0.1", 0, Optional.empty(), DeliveryPolicy.EVENTARC, Optional.empty());
  }

  public StorageEmulatorConfig withPort(int port) {
    return new StorageEmulatorConfig(host, port, directory, notifications, https);
  }

  public StorageEmulatorConfig withDirectory(Path dir) {
    return new StorageEmulatorConfig(host, port, Optional.of(dir), notifications, https);
  }

  public StorageEmulatorConfig withHost(String host) {
    return new StorageEmulatorConfig(host, port, directory, notifications, https);
  }

  public StorageEmulatorConfig withNotifications(DeliveryPolicy policy) {
    return new StorageEmulatorConfig(host, port, directory, policy, https);
  }

  /** Also listens for HTTPS on {@code port}, writing its certificate to {@code certificateFile}. */
  public StorageEmulatorConfig withHttps(int port, Path certificateFile) {
    return new StorageEmulatorConfig(
        host, this.port, directory, notifications, Optional.of(new Https(port, certificateFile)));
  }

  private static void checkPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
  }
}
