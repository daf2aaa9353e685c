package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcloudSdkTest {

  @Test
  void theEnvironmentVariableChoosesTheSdkRoot(@TempDir Path root) {
    GcloudSdk sdk = GcloudSdk.locate(Map.of(GcloudSdk.ROOT_VARIABLE, root.toString(), "PATH", ""));

    assertThat(sdk.root()).isEqualTo(root);
  }

  @Test
  void withoutTheVariableTheInstalledSdkHasBothEmulators() {
    GcloudSdk sdk = GcloudSdk.locate(Map.of("PATH", System.getenv("PATH")));

    assertThat(sdk.pubsubEmulatorJar()).isRegularFile();
    assertThat(sdk.firestoreEmulatorJar()).isRegularFile();
  }

  @Test
  void aMissingPubSubEmulatorNamesItsDebianPackage(@TempDir Path emptyRoot) {
    GcloudSdk sdk = new GcloudSdk(emptyRoot);

    assertThatThrownBy(sdk::pubsubEmulatorJar)
        .isInstanceOf(MissingEmulatorException.class)
        .hasMessageContaining("google-cloud-cli-pubsub-emulator")
        .hasMessageContaining(GcloudSdk.ROOT_VARIABLE)
        .hasMessageContaining(emptyRoot.toString());
  }

  @Test
  void aMissingFirestoreEmulatorNamesItsDebianPackage(@TempDir Path emptyRoot) {
    GcloudSdk sdk = new GcloudSdk(emptyRoot);

    assertThatThrownBy(sdk::firestoreEmulatorJar)
        .isInstanceOf(MissingEmulatorException.class)
        .hasMessageContaining("google-cloud-cli-firestore-emulator");
  }

  @Test
  void startingTheLocalCloudWithoutTheSdkFailsWithTheInstallHint(@TempDir Path emptyRoot) {
    LocalCloudConfig config = LocalCloudConfig.defaults().withSdk(new GcloudSdk(emptyRoot));

    assertThatThrownBy(() -> LocalCloud.start(config))
        .isInstanceOf(MissingEmulatorException.class)
        .hasMessageContaining("apt-get install google-cloud-cli-pubsub-emulator");
  }
}
