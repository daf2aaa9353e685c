package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./batchdrop up} as a user runs it: its own JVM, a file dropped into the inbox from outside
 * with only the settings it wrote, the run going through, and SIGTERM leaving nothing behind.
 */
@Tag("system")
class UpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(180);
  private static final Duration FLOW = Duration.ofSeconds(120);

  private static final String ROWS =
      """
      {"key":"hello","request":{"contents":[{"role":"user","parts":[{"text":"Say hello."}]}]}}
      {"key":"bye","request":{"contents":[{"role":"user","parts":[{"text":"Say bye."}]}]}}
      """;

  @Test
  void aFileDroppedFromOutsideIsSubmittedAndItsJobHandedToPublishAndSigtermStopsEverything(
      @TempDir Path dir) throws Exception {
    Path envFile = dir.resolve("up.env");
    Process up =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Up.class.getName(),
                "--port-base",
                "0",
                "--poll-every",
                "1",
                "--env-file",
                envFile.toString())
            .redirectErrorStream(true)
            .start();
    try {
      Lines lines = new Lines(up);
      lines.await(line -> line.equals(Up.READY), START);
      Map<String, String> env = readExports(envFile);
      assertThat(env)
          .containsKeys(
              "CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE",
              "CLOUDSDK_AUTH_DISABLE_CREDENTIALS",
              "STORAGE_EMULATOR_HOST",
              "PUBSUB_EMULATOR_HOST",
              "GEMINI_API_BASE_URL",
              "GEMINI_API_KEY",
              "BATCHDROP_INBOX_BUCKET");

      // The way a user drops a file: gcloud storage cp, with nothing but the env file's settings.
      gcloudCopy(env, dir, "incoming/two.jsonl", ROWS);
      // Native gsutil, configured by the same settings, sees it.
      String inbox = "gs://" + env.get("BATCHDROP_INBOX_BUCKET") + "/incoming/";
      assertThat(gsutil(env, dir, "ls", inbox)).isEqualTo(inbox + "two.jsonl\n");

      try (EmulatorPubSub pubsub =
          new EmulatorPubSub(env.get("PUBSUB_EMULATOR_HOST"), env.get("GOOGLE_CLOUD_PROJECT"))) {
        List<String> eventTypes = new ArrayList<>();
        Map<String, String> results = new TreeMap<>();
        JsonNode handOff = null;
        long deadline = System.nanoTime() + FLOW.toNanos();
        while ((results.size() < 2 || !eventTypes.contains("run.completed"))
            && System.nanoTime() < deadline) {
          pubsub.pull("events-sub").forEach(m -> eventTypes.add(m.getAttributesOrThrow("type")));
          for (var message : pubsub.pull("completions-sub")) {
            handOff = JSON.readTree(message.getData().toStringUtf8());
          }
          for (var message : pubsub.pull("results-sub")) {
            results.merge(
                message.getAttributesOrThrow("key"),
                message.getAttributesOrThrow("status"),
                (a, b) -> a + "," + b);
          }
        }
        assertThat(handOff).as("a hand-off on the completions topic within " + FLOW).isNotNull();
        assertThat(handOff.path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
        assertThat(results)
            .as("every row's result on the results topic")
            .containsExactlyEntriesOf(
                new TreeMap<>(Map.of("bye", "succeeded", "hello", "succeeded")));
        assertThat(eventTypes)
            .containsSubsequence("run.accepted", "job.submitted", "run.completed");
      }
      // The bridge gave the hand-off to publish, and publish took it.
      lines.await(line -> line.startsWith("[publish]") && line.endsWith("acknowledged"), FLOW);

      List<ProcessHandle> children = up.descendants().toList();
      assertThat(children).hasSizeGreaterThanOrEqualTo(2 + LocalStack.FUNCTIONS.size());
      // SIGTERM; Process.destroy() would also close our end of its output before it is read.
      up.toHandle().destroy();
      assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up exits after SIGTERM").isTrue();
      // 143: the JVM ends as a SIGTERM'd process does, after its shutdown hooks ran.
      assertThat(up.exitValue()).isEqualTo(143);
      for (ProcessHandle child : children) {
        child.onExit().get(10, TimeUnit.SECONDS);
      }
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      lines.await(line -> line.equals("batchdrop up: stopped"), Duration.ofSeconds(10));
      assertThat(envFile).doesNotExist();
      assertThat(Path.of(env.get("BOTO_CONFIG"))).doesNotExist();
    } finally {
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
  }

  /** {@code gcloud storage cp}, configured only by the settings {@code up} wrote. */
  private static void gcloudCopy(Map<String, String> env, Path dir, String name, String content)
      throws Exception {
    Path file = dir.resolve("upload.jsonl");
    Files.writeString(file, content);
    Path config = Files.createDirectories(dir.resolve("gcloud-config"));
    ProcessBuilder gcloud =
        new ProcessBuilder(
                "gcloud",
                "storage",
                "cp",
                file.toString(),
                "gs://" + env.get("BATCHDROP_INBOX_BUCKET") + "/" + name)
            .redirectErrorStream(true);
    gcloud.environment().putAll(env);
    gcloud.environment().put("CLOUDSDK_CONFIG", config.toString());
    Process process = gcloud.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("gcloud storage cp: " + output).isZero();
  }

  /** Native {@code gsutil}, configured only by the settings {@code up} wrote; its stdout. */
  private static String gsutil(Map<String, String> env, Path dir, String... args) throws Exception {
    Path out = dir.resolve("gsutil.out");
    List<String> command = new ArrayList<>(List.of("gsutil"));
    command.addAll(List.of(args));
    ProcessBuilder gsutil =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("gsutil.err").toFile());
    gsutil.environment().putAll(env);
    gsutil.environment().put("CLOUDSDK_CONFIG", dir.resolve("gsutil-config").toString());
    Process process = gsutil.start();
    try {
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("gsutil finished").isTrue();
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    assertThat(process.exitValue())
        .as("gsutil %s: %s", args, Files.readString(dir.resolve("gsutil.err")))
        .isZero();
    return Files.readString(out);
  }

  /** The file as a shell would see it after {@code source}: {@code export NAME='value'} lines. */
  private static Map<String, String> readExports(Path file) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      assertThat(line).matches("export [A-Z_]+='[^']*'");
      int eq = line.indexOf('=');
      env.put(line.substring("export ".length(), eq), line.substring(eq + 2, line.length() - 1));
    }
    return env;
  }

  /** Everything the process prints, and waiting for a line, with a deadline. */
  private static final class Lines {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<Map.Entry<Predicate<String>, CompletableFuture<String>>> waiting =
        new CopyOnWriteArrayList<>();

    Lines(Process process) {
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                    String seen = line;
                    waiting.forEach(
                        w -> {
                          if (w.getKey().test(seen)) {
                            w.getValue().complete(seen);
                          }
                        });
                  }
                } catch (java.io.IOException e) {
                  // The process ended.
                }
              },
              "up-output");
      reader.setDaemon(true);
      reader.start();
    }

    String await(Predicate<String> wanted, Duration timeout) throws Exception {
      CompletableFuture<String> found = new CompletableFuture<>();
      waiting.add(Map.entry(wanted, found));
      lines.stream().filter(wanted).findFirst().ifPresent(found::complete);
      try {
        return found.get(timeout.toSeconds(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(
            "no such line within " + timeout + "; up printed:\n" + String.join("\n", lines), e);
      }
    }
  }
}
