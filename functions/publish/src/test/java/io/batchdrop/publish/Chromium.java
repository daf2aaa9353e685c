package io.batchdrop.publish;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) as a test renders a page: offline, with a throwaway
 * profile, no sandbox (tests run as root in CI), and a deadline on every run.
 */
final class Chromium {
  private static final long DEADLINE_SECONDS = 90;
  private final String executable;

  private Chromium(String executable) {
    this.executable = executable;
  }

  /** The browser on PATH, or an error saying how to install it. */
  static Chromium find() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return new Chromium(candidate.toString());
        }
      }
    }
    throw new AssertionError(
        "headless Chromium is needed to test the run report in a browser, and none of chromium,"
            + " chromium-browser, google-chrome is on PATH; install it with"
            + " `apt-get install -y chromium` (.ci/run does)");
  }

  /** The DOM after the page loaded, as Chromium serializes it. */
  String dumpDom(Path page) throws IOException, InterruptedException {
    return run(page, "--dump-dom");
  }

  /** A full-width screenshot of the page, tall enough for the whole report. */
  Path screenshot(Path page, Path png) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    run(
        page,
        "--screenshot=" + png.toAbsolutePath(),
        "--window-size=1120,2200",
        "--hide-scrollbars");
    if (!Files.exists(png)) {
      throw new AssertionError("chromium wrote no screenshot at " + png);
    }
    return png;
  }

  private String run(Path page, String... action) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    Path output = Files.createTempFile("chromium-out", ".txt");
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--user-data-dir=" + profile.toAbsolutePath()));
    command.addAll(List.of(action));
    command.add(page.toAbsolutePath().toUri().toString());
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(output.toFile())
            .redirectError(
                ProcessBuilder.Redirect.appendTo(
                    output.resolveSibling(output.getFileName() + ".err").toFile()))
            .start();
    try {
      if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("chromium did not finish within " + DEADLINE_SECONDS + " s");
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "chromium exited "
                + process.exitValue()
                + ": "
                + Files.readString(output.resolveSibling(output.getFileName() + ".err")));
      }
      return out;
    } finally {
      Files.deleteIfExists(output);
      Files.deleteIfExists(output.resolveSibling(output.getFileName() + ".err"));
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
