package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The demo's last line shows that every row has one outcome, in words a user can check. */
class DemoCountsTest {

  @Test
  void theRunsCountsReadAsRowsEqualToTheSumOfTheOutcomesWithoutSubmitsBookkeeping() {
    Map<String, Object> counts = new HashMap<>();
    counts.put("rows", 9L);
    counts.put("valid", 7L);
    counts.put("invalid", 2L);
    counts.put("succeeded", 6L);
    counts.put("failed", 1L);
    counts.put("missing", 0L);
    counts.put("warnings", 0L);
    counts.put("published", 2L);

    assertThat(Demo.countsText(counts))
        .isEqualTo("rows 9 = succeeded 6 + failed 1 + invalid 2 + missing 0 (valid 7, warnings 0)");
  }
}
