package io.batchdrop.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void theMedianOfAnOddNumberOfRunsIsTheMiddleOneWhateverTheOrder() {
    assertThat(Spread.of(List.of(900.0, 300.0, 500.0))).isEqualTo(new Spread(500, 300, 900, 3));
  }

  @Test
  void theMedianOfAnEvenNumberOfRunsIsTheMeanOfTheMiddleTwo() {
    assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void noRunsIsRefusedRatherThanReportedAsZero() {
    assertThatThrownBy(() -> Spread.of(List.of()))
        .hasMessageContaining("expected at least one timing");
  }
}
