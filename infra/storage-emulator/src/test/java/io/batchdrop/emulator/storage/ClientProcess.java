package io.batchdrop.emulator.storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real client (gcloud, node) as a process with a deadline and collects what it printed. */
final class ClientProcess {
  private ClientProcess() {}

  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    /** Stdout's non-blank lines: what a listing command printed, one entry a line. */
    List<String> stdoutLines() {
      return stdout.lines().filter(l -> !l.isBlank()).toList();
    }

    String describe() {
      return String.join(" ", command)
          + " exited "
          + exitCode
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  /** True when {@code program} is an executable somewhere on PATH. */
  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static Result run(List<String> command, Map<String, String> env, Path workDir, Duration deadline)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("client-out", ".txt");
    Path err = Files.createTempFile("client-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            String.join(" ", command)
                + " did not finish within "
                + deadline
                + "\n--- stdout ---\n"
                + Files.readString(out, StandardCharsets.UTF_8)
                + "\n--- stderr ---\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      return new Result(
          command,
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
