package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StagedRowsTest {
  private static String staged(String key, long row, String prompt) {
    return "{\"key\":\""
        + key
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + prompt
        + "\"}]}],\"labels\":{\"batchdrop_row\":\"row-"
        + row
        + "\"}}}\n";
  }

  @Test
  void aLineOverTheLimitIsReadThroughWithItsRowKeyAndOffsetsAndTheNextLineFollows()
      throws Exception {
    // Longer than the longest string the reader would ever materialize (1 MiB): it is skipped.
    String first = staged("long", 1, "x".repeat(3 << 20));
    String second = staged("short", 2, "fine");
    byte[] shard = (first + second).getBytes(StandardCharsets.UTF_8);
    StagedRows rows = new StagedRows(new ByteArrayInputStream(shard), 0, 1024);

    StagedRows.StagedRow longRow = rows.next();
    assertThat(longRow.row()).isEqualTo(1);
    assertThat(longRow.key()).isEqualTo("long");
    assertThat(longRow.held()).isFalse();
    assertThat(longRow.startOffset()).isZero();
    assertThat(longRow.endOffset()).isEqualTo(first.length());

    StagedRows.StagedRow shortRow = rows.next();
    assertThat(shortRow.row()).isEqualTo(2);
    assertThat(new String(shortRow.bytes(), StandardCharsets.UTF_8)).isEqualTo(second);
    assertThat(shortRow.startOffset()).isEqualTo(first.length());
    assertThat(shortRow.endOffset()).isEqualTo(shard.length);
    assertThat(rows.next()).isNull();
  }

  @Test
  void aBrokenStagedLineIsReportedWithItsOffsetButNotItsText() {
    String broken = "{\"key\":\"k\",\"request\":{\"contents\":[{\"text\": secretprompt}]}}\n";
    byte[] shard = (staged("a", 1, "fine") + broken).getBytes(StandardCharsets.UTF_8);
    StagedRows rows = new StagedRows(new ByteArrayInputStream(shard), 0, 1 << 20);

    assertThatThrownBy(
            () -> {
              while (rows.next() != null) {
                // reads to the broken line
              }
            })
        .hasMessageStartingWith(
            "the staged line at byte " + staged("a", 1, "fine").length() + " is not valid JSON")
        .hasMessageNotContaining("secretprompt");
  }
}
