package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo's exit code says whether every row of the file got its outcome. */
class DemoExitCodeTest {

  @Test
  void aClosedRunIs0EvenWithFailedRowsSinceEveryRowHasItsOutcome() {
    assertThat(Demo.exitCode("PARTIAL", true)).isZero();
    assertThat(Demo.exitCode("SUCCEEDED", true)).isZero();
  }

  @Test
  void aRejectedFileIs1SinceNoneOfItsRowsRan() {
    assertThat(Demo.exitCode("REJECTED", null)).isEqualTo(1);
  }

  @Test
  void aRunNotClosedInTimeIs1() {
    assertThat(Demo.exitCode("RUNNING", false)).isEqualTo(1);
  }
}
