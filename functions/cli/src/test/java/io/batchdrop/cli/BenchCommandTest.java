package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
        .contains("bench validate", "--size-mb: \"0\"", "--runs: \"many\"", "unknown argument --turbo")
        .doesNotContain("Exception");
  }

  private int run(String... args) {
    return Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
