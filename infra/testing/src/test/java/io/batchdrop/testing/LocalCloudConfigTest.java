package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalCloudConfigTest {

  @Test
  void aFixedPortBaseGivesEveryEmulatorItsOwnPortTheGeminiApiOneAfterFirestore() {
    LocalCloudConfig config = LocalCloudConfig.defaults().withPortBase(9020);

    assertThat(config.storagePort()).isEqualTo(9020);
    assertThat(config.vertexPort()).isEqualTo(9021);
    assertThat(config.pubsubPort()).isEqualTo(9022);
    assertThat(config.firestorePort()).isEqualTo(9023);
    // Pasted settings name it (GEMINI_API_BASE_URL), so it must not move at every start.
    assertThat(config.geminiPort()).isEqualTo(9024);
    assertThat(LocalCloudConfig.PORTS).isEqualTo(5);
  }

  @Test
  void portBaseZeroLeavesEveryPortFree() {
    LocalCloudConfig config = LocalCloudConfig.defaults();

    assertThat(config.storagePort()).isZero();
    assertThat(config.geminiPort()).isZero();
  }
}
