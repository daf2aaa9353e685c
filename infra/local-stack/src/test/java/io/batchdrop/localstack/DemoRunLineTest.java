package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's last line, the run as it ended. */
class DemoRunLineTest {

  @Test
  void aRejectedRunSaysWhyItWasRejectedInsteadOfTokensNullAndCostNull() {
    String line =
        Demo.runLine(
            "4a563b5bd166a51876e1",
            "REJECTED",
            "3 of 10 rows are invalid (30%), above the 10% threshold",
            Map.of("rows", 10L, "valid", 7L, "invalid", 3L, "warnings", 0L),
            null,
            null);

    assertThat(line)
        .isEqualTo(
            "runs/4a563b5bd166a51876e1: state REJECTED: 3 of 10 rows are invalid (30%), above the"
                + " 10% threshold; rows 10 (valid 7, warnings 0, invalid 3)");
  }
}
