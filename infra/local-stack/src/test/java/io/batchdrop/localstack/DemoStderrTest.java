package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./batchdrop demo --json} as a process, as a script reads it: stderr holds the report and
 * the functions' JSON log lines, never the gRPC library's java.util.logging start-up facts.
 */
@Tag("system")
class DemoStderrTest {

  @Test
  void demoJsonPrintsNoGrpcLibraryLinesOnStderr(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Process demo =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Demo.class.getName(),
                "--json")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    demo.getOutputStream().close();

    assertThat(demo.waitFor(6, TimeUnit.MINUTES)).as("the demo ended").isTrue();
    List<String> stderr = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertThat(demo.exitValue()).as(String.join("\n", stderr)).isZero();
    assertThat(stderr)
        .as("java.util.logging's lines (a source line, then LEVEL: message)")
        .noneMatch(line -> line.contains("io.grpc") || line.startsWith("INFO: "));
    List<String> stdout = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertThat(new ObjectMapper().readTree(stdout.get(stdout.size() - 1)).path("run").isObject())
        .isTrue();
  }
}
