package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A private instance, not the shared one: this test stops it. */
class LocalCloudLifecycleTest {

  @Test
  void closeStopsEveryEmulatorProcessAndItsChildren() {
    LocalCloud cloud = LocalCloud.start();
    List<ProcessHandle> trees =
        cloud.processIds().values().stream()
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .flatMap(root -> ProcessTree.snapshot(root).stream())
            .toList();
    assertThat(cloud.processIds()).containsOnlyKeys("pubsub", "firestore");
    assertThat(trees).hasSizeGreaterThanOrEqualTo(2).allMatch(ProcessHandle::isAlive);
    assertThat(cloud.startupTimes())
        .containsOnlyKeys("pubsub", "firestore", "storage", "vertex", "gemini");

    cloud.close();

    assertThat(trees).noneMatch(ProcessHandle::isAlive);
    assertThat(cloud.processIds().values().stream().flatMap(pid -> ProcessHandle.of(pid).stream()))
        .isEmpty();
  }
}
