package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCloudStartFailureTest {

  @Test
  void whenOneEmulatorCannotStartTheOthersAreStoppedAndItsOutputIsShown(@TempDir Path sdkRoot)
      throws IOException {
    // A broken Pub/Sub component next to a working Firestore one.
    Path pubsubLib = Files.createDirectories(sdkRoot.resolve("platform/pubsub-emulator/lib"));
    Files.writeString(pubsubLib.resolve("cloud-pubsub-emulator-0.0.0-all.jar"), "not a jar");
    Path firestoreDir =
        Files.createDirectories(sdkRoot.resolve("platform/cloud-firestore-emulator"));
    Files.createSymbolicLink(
        firestoreDir.resolve("cloud-firestore-emulator.jar"),
        GcloudSdk.locate().firestoreEmulatorJar());
    LocalCloudConfig config = LocalCloudConfig.defaults().withSdk(new GcloudSdk(sdkRoot));

    assertThatThrownBy(() -> LocalCloud.start(config))
        .isInstanceOf(EmulatorStartException.class)
        .hasMessageContaining("The pubsub emulator")
        .hasMessageContaining("exited with code")
        .hasMessageContaining("jarfile");
    assertThat(ProcessHandle.current().descendants())
        .noneMatch(process -> process.info().commandLine().orElse("").contains(sdkRoot.toString()));
  }
}
