package io.batchdrop.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LocalCloud#start(LocalCloudConfig)} needs.
 *
 * @param projectId the Google Cloud project every client and emulator uses
 * @param sdk where the official emulator components are installed
 * @param startTimeout how long each official emulator may take to print its ready line
 */
public record LocalCloudConfig(String projectId, GcloudSdk sdk, Duration startTimeout) {

  public static final String DEFAULT_PROJECT_ID = "batchdrop-local";

  public LocalCloudConfig {
    Objects.requireNonNull(projectId, "projectId");
    Objects.requireNonNull(sdk, "sdk");
    Objects.requireNonNull(startTimeout, "startTimeout");
  }

  /**
   * Project {@value #DEFAULT_PROJECT_ID}, the SDK from {@link GcloudSdk#locate()}, 90 s to start.
   */
  public static LocalCloudConfig defaults() {
    return new LocalCloudConfig(DEFAULT_PROJECT_ID, GcloudSdk.locate(), Duration.ofSeconds(90));
  }

  public LocalCloudConfig withSdk(GcloudSdk otherSdk) {
    return new LocalCloudConfig(projectId, otherSdk, startTimeout);
  }
}
