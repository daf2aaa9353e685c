package io.batchdrop.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LocalCloud#start(LocalCloudConfig)} needs.
 *
 * @param projectId the Google Cloud project every client and emulator uses
 * @param sdk where the official emulator components are installed
 * @param startTimeout how long each official emulator may take to print its ready line
 * @param storageDirectory where the storage emulator keeps its files (kept across starts); empty
 *     keeps them in memory
 * @param portBase 0 for free ports, else the first of {@value #PORTS} fixed ports: storage, Vertex,
 *     Pub/Sub, Firestore, Gemini API in that order (a port taken is an error, not a silent move)
 */
public record LocalCloudConfig(
    String projectId,
    GcloudSdk sdk,
    Duration startTimeout,
    Optional<Path> storageDirectory,
    int portBase) {

  public static final String DEFAULT_PROJECT_ID = "batchdrop-local";

  /** How many consecutive ports a fixed {@link #portBase} takes. */
  public static final int PORTS = 5;

  public LocalCloudConfig {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(sdk, "sdk");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(storageDirectory, "storageDirectory");
    if (portBase != 0 && (portBase < 1024 || portBase > 65535 - PORTS)) {
      throw new IllegalArgumentException(
          "the port base must be 0 (free ports) or 1024.." + (65535 - PORTS) + ", was " + portBase);
    }
  }

  /**
   * Project {@value #DEFAULT_PROJECT_ID}, the SDK from {@link GcloudSdk#locate()}, 90 s to start,
   * storage in memory, free ports.
   */
  public static LocalCloudConfig defaults() {
    return new LocalCloudConfig(
        DEFAULT_PROJECT_ID, GcloudSdk.locate(), Duration.ofSeconds(90), Optional.empty(), 0);
  }

  public LocalCloudConfig withSdk(GcloudSdk otherSdk) {
    return new LocalCloudConfig(projectId, otherSdk, startTimeout, storageDirectory, portBase);
  }

  public LocalCloudConfig withStorageDirectory(Path directory) {
    return new LocalCloudConfig(projectId, sdk, startTimeout, Optional.of(directory), portBase);
  }

  public LocalCloudConfig withPortBase(int base) {
    return new LocalCloudConfig(projectId, sdk, startTimeout, storageDirectory, base);
  }

  int storagePort() {
    return portBase == 0 ? 0 : portBase;
  }

  int vertexPort() {
    return portBase == 0 ? 0 : portBase + 1;
  }

  /** A fixed port, or -1 when the emulator gets a free one. */
  int pubsubPort() {
    return portBase == 0 ? -1 : portBase + 2;
  }

  int firestorePort() {
    return portBase == 0 ? -1 : portBase + 3;
  }

  int geminiPort() {
    return portBase == 0 ? 0 : portBase + 4;
  }
}
