package io.batchdrop.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidatorBenchmarkTest {
  @TempDir Path dir;

  @Test
  void lastLineIsOneJsonObjectOfTheFigures() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new ValidatorBenchmark(new PrintStream(out, true, StandardCharsets.UTF_8))
        .run(new BenchOptions(1, null, false, 1), dir);

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    String last = lines.get(lines.size() - 1);
    JsonNode figures = new ObjectMapper().readTree(last);
    assertThat(figures.properties())
        .extracting(e -> e.getKey())
        .containsExactly(
            "validator_mb_s",
            "raw_scan_mb_s",
            "jsonformat_mb_s",
            "ratio_vs_raw",
            "ratio_vs_jsonformat");
    assertThat(figures).allSatisfy(value -> assertThat(value.isNumber()).isTrue());
    assertThat(Files.list(dir)).as("the generated file is deleted without --keep").isEmpty();
  }

  @Test
  void anExistingFileOfTheRequestedSizeIsReused() throws IOException {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    Path path = dir.resolve("bench-1mb.jsonl");

    BenchFile first = BenchFile.prepare(path, 1, out);
    byte[] generated = Files.readAllBytes(path);
    BenchFile second = BenchFile.prepare(path, 1, out);

    assertThat(first.generated()).isTrue();
    assertThat(second.generated()).isFalse();
    assertThat(second.size()).isEqualTo(first.size()).isEqualTo(generated.length);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("generating ", "reusing ");
    assertThat(Files.list(dir)).as("no partial file left behind").containsExactly(path);
  }

  @Test
  void aFileOfAnotherSizeIsGeneratedAgain() throws IOException {
    Path path = dir.resolve("bench-1mb.jsonl");
    Files.writeString(path, "{}\n");

    BenchFile file =
        BenchFile.prepare(
            path, 1, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(file.generated()).isTrue();
    assertThat(Files.size(path)).isGreaterThanOrEqualTo(1 << 20);
  }

  @Test
  void figuresHaveTwoDecimals() {
    assertThat(ValidatorBenchmark.figures(123.456, 400, 20.1, 0.3086, 6.14))
        .isEqualTo(
            "{\"validator_mb_s\":123.46,\"raw_scan_mb_s\":400.00,\"jsonformat_mb_s\":20.10,"
                + "\"ratio_vs_raw\":0.31,\"ratio_vs_jsonformat\":6.14}");
  }
}
