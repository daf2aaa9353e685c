package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OfficialEmulatorsTest {

  @Test
  void theEmulatorsRunOnC1WithTheSerialCollectorUnlessToldOtherwise() {
    assertThat(OfficialEmulators.jvmOptions(null))
        .containsExactly("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }

  @Test
  void anEmptyPropertyLeavesTheJdkDefaultsAsTheBenchmarksWant() {
    assertThat(OfficialEmulators.jvmOptions("")).isEmpty();
    assertThat(OfficialEmulators.jvmOptions("  ")).isEmpty();
  }

  @Test
  void optionsAreSplitOnAnyWhitespace() {
    assertThat(OfficialEmulators.jvmOptions(" -Xmx1g \t -XX:+UseParallelGC "))
        .containsExactly("-Xmx1g", "-XX:+UseParallelGC");
  }
}
