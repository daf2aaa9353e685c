package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpOptionsTest {

  @Test
  void withoutFlagsTheStackIsInMemoryOnPort9020AndPollIsCalledEveryTenSeconds() throws Exception {
    UpOptions options = UpOptions.parse(List.of());

    assertThat(options.dir()).isEmpty();
    assertThat(options.envFile()).isEmpty();
    assertThat(options.portBase()).isEqualTo(9020);
    assertThat(options.pollEvery()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void everyFlagIsRead() throws Exception {
    UpOptions options =
        UpOptions.parse(
            List.of(
                "--dir", "gcs", "--env-file", "up.env", "--port-base", "0", "--poll-every", "3"));

    assertThat(options.dir()).contains(Path.of("gcs"));
    assertThat(options.envFile()).contains(Path.of("up.env"));
    assertThat(options.portBase()).isZero();
    assertThat(options.pollEvery()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void theBackendIsVertexUnlessGeminiApiIsAskedFor() throws Exception {
    assertThat(UpOptions.parse(List.of()).backend()).isEqualTo("vertex");
    assertThat(UpOptions.parse(List.of("--backend", "gemini-api")).backend())
        .isEqualTo("gemini-api");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--backend", "openai")))
        .hasMessage("--backend is vertex or gemini-api, got openai");
  }

  @Test
  void aWrongValueSaysWhatWasExpected() {
    assertThatThrownBy(() -> UpOptions.parse(List.of("--port-base", "80")))
        .hasMessage("--port-base is 0 (free ports) or a port from 1024 to 65000, got 80");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--poll-every", "ten")))
        .hasMessage("--poll-every takes a whole number, got \"ten\"");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--poll-every", "0")))
        .hasMessage("--poll-every is a number of seconds from 1 to 3600, got 0");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--env-file")))
        .hasMessage("--env-file needs a value");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--dir", "--env-file", "x")))
        .hasMessage("--dir needs a value");
    assertThatThrownBy(() -> UpOptions.parse(List.of("--ports")))
        .hasMessageStartingWith("unknown option --ports; expected one of");
  }
}
