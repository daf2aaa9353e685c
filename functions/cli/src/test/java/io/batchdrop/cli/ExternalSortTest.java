package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExternalSortTest {
  @Test
  void recordsComeOutInRowOrderThroughManySpillsAndSeveralMergePasses() throws Exception {
    List<Long> rows = new ArrayList<>();
    int spilled;
    Path tempDir;
    // Tiny chunks and a fan-in of 3: 10,000 records make hundreds of files, merged in passes.
    try (ExternalSort sort = new ExternalSort(2_000, 3)) {
      for (long i = 0; i < 10_000; i++) {
        long row = 1 + (i * 7919) % 10_000;
        sort.add(row, ("row " + row).getBytes(StandardCharsets.UTF_8));
      }
      sort.drain(
          (row, data) -> {
            assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("row " + row);
            rows.add(row);
          });
      spilled = sort.spilledFiles();
    }

    assertThat(rows).hasSize(10_000);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i)).isEqualTo(i + 1L);
    }
    assertThat(spilled).isGreaterThan(100);
  }

  @Test
  void aFewRecordsAreSortedWithoutTouchingTheDisk() throws Exception {
    List<Long> rows = new ArrayList<>();
    try (ExternalSort sort = new ExternalSort(1 << 20, 64)) {
      sort.add(3, new byte[0]);
      sort.add(1, new byte[0]);
      sort.add(2, new byte[0]);
      sort.drain((row, data) -> rows.add(row));
      assertThat(sort.spilledFiles()).isZero();
    }
    assertThat(rows).containsExactly(1L, 2L, 3L);
  }

  @Test
  void nothingIsLeftInTheTemporaryDirectoryAfterClose() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    long before;
    try (var listing = Files.list(tmp)) {
      before = listing.filter(p -> p.getFileName().toString().startsWith("batchdrop-sort")).count();
    }
    try (ExternalSort sort = new ExternalSort(10, 2)) {
      for (long i = 100; i > 0; i--) {
        sort.add(i, new byte[] {1, 2, 3});
      }
      sort.drain((row, data) -> {});
    }
    try (var listing = Files.list(tmp)) {
      assertThat(
              listing.filter(p -> p.getFileName().toString().startsWith("batchdrop-sort")).count())
          .isEqualTo(before);
    }
  }
}
