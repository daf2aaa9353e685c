package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How many result messages the demo waits for before it prints the rows. */
class DemoDrainTest {

  @Test
  void aRejectedRunPublishesNoResultsSoTheDemoWaitsForNoneInsteadOfTwoMinutes() {
    assertThat(Demo.resultsExpected("REJECTED", Map.of("rows", 10L, "invalid", 3L))).isZero();
  }

  @Test
  void aClosedRunHasOneResultPerRow() {
    assertThat(Demo.resultsExpected("PARTIAL", Map.of("rows", 10L))).isEqualTo(10);
  }
}
