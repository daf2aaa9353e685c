package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void wrongArgumentsExitTwoWithAMessage() {
    assertThat(run("bench")).isEqualTo(2);
    assertThat(run("bench", "staging")).isEqualTo(2);
    assertThat(run("bench", "validate", "--size-mb", "0")).isEqualTo(2);
    assertThat(run("bench", "validate", "--runs", "many")).isEqualTo(2);
    assertThat(run("bench", "validate", "--turbo")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "validate (the benchmark)",
            "--size-mb: \"0\"",
            "--runs: \"many\"",
            "unknown argument --turbo")
        .doesNotContain("Exception");
  }

  @Test
  void generateWritesTheSyntheticFileAndPrintsItsPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("one.jsonl");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"bench", "generate", "--size-mb", "1", "--file", file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isZero();
    assertThat(Files.size(file)).isGreaterThanOrEqualTo(1 << 20);
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(lines.size() - 1)).isEqualTo(file.toString());
  }

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
