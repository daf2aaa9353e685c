package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The extension closes what a test built on a deployment when the test ends: the second test sees
 * what the first one left, so they run in order, one after the other.
 */
@LocalCloudTest
@Execution(ExecutionMode.SAME_THREAD)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalDeploymentLifecycleTest {
  private static final List<String> CLOSED = new CopyOnWriteArrayList<>();

  @Test
  @Order(1)
  void whatATestRegistersOnADeploymentStaysOpenWhileTheTestRuns(LocalCloud cloud) {
    LocalDeployment deployment = LocalDeployment.create(cloud);
    deployment.closeLater(() -> CLOSED.add("clients"));
    deployment.closeLater(() -> CLOSED.add("pool"));

    assertThat(CLOSED).isEmpty();
    assertThat(cloud.storage().get(LocalDeployment.INBOX)).isNotNull();
  }

  @Test
  @Order(2)
  void theNextTestFindsItClosedNewestFirstWithoutCleanUpOfItsOwn(LocalCloud cloud)
      throws Exception {
    assertThat(CLOSED).containsExactly("pool", "clients");

    LocalDeployment closedByHand = LocalDeployment.create(cloud);
    closedByHand.closeLater(() -> CLOSED.add("function"));
    closedByHand.close();
    closedByHand.close();

    assertThat(CLOSED).containsExactly("pool", "clients", "function");
  }
}
