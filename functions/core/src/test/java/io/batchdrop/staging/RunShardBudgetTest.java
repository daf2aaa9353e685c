package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunShardBudgetTest {

  @Test
  void aShardsEntryIsItsMapOfFiveIntegersAndTheIdsOfItsTenAttemptsByFirestoresSizeRules() {
    // "shard" 6 + "rows" 5 + "bytes" 6 + "firstRow" 9 + "lastRow" 8, five integers of 8 bytes;
    // "0123456789abcdef0123-s2126-a1" is 29 characters + 1, nine such and one "-a10" of 31.
    assertThat(RunShardBudget.entryBytes(2126)).isEqualTo(34 + 40 + 9 * 30 + 31);
  }

  @Test
  void aRunHoldsTheShardsOfA64GibFileOfSmallRowsWithinFirestoresDocumentLimit() {
    // BATCHDROP_MAX_FILE_BYTES at its largest, 64 GiB, of rows of about 300 bytes: 229 million
    // rows, 1,146 shards of 200,000 rows.
    long rows = (64L << 30) / 300;
    long shards = (rows + StagingLimits.DEFAULT_MAX_ROWS_PER_SHARD - 1) / 200_000;
    assertThat(shards).isEqualTo(1146);
    assertThat(RunShardBudget.MAX_SHARDS).isEqualTo(2126).isGreaterThan((int) shards);

    long entries = 0;
    for (int shard = 1; shard <= RunShardBudget.MAX_SHARDS; shard++) {
      entries += RunShardBudget.entryBytes(shard);
    }
    assertThat(entries + RunShardBudget.OTHER_FIELDS_BYTES)
        .isLessThanOrEqualTo(RunShardBudget.MAX_DOCUMENT_BYTES);
    assertThat(entries + RunShardBudget.entryBytes(RunShardBudget.MAX_SHARDS + 1))
        .isGreaterThan(RunShardBudget.MAX_DOCUMENT_BYTES - RunShardBudget.OTHER_FIELDS_BYTES);
  }
}
