package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneEmulatorTest {
  private static final Pattern READY =
      Pattern.compile("storage emulator listening on (http://127\\.0\\.0\\.1:\\d+)");

  @Test
  void theCommandLineEmulatorAnnouncesItsAddressAndServesTheClient(@TempDir Path dir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    StorageEmulator.class.getName(),
                    "--port",
                    "0",
                    "--dir",
                    dir.toString()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = CompletableFuture.supplyAsync(() -> readLine(stdout)).get(30, TimeUnit.SECONDS);
      Matcher ready = READY.matcher(line);
      assertThat(ready.matches()).as("ready line: %s", line).isTrue();

      Storage storage =
          StorageOptions.http()
              .setHost(ready.group(1))
              .setProjectId("p")
              .setCredentials(NoCredentials.getInstance())
              .build()
              .getService();
      storage.create(BucketInfo.of("standalone"));
      storage.create(
          BlobInfo.newBuilder("standalone", "hello.txt").build(),
          "hi".getBytes(StandardCharsets.UTF_8));
      assertThat(dir.resolve("standalone/hello.txt")).hasContent("hi");
    } finally {
      process.destroy();
      process.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  private static String readLine(BufferedReader reader) {
    try {
      String line = reader.readLine();
      return line == null ? "<no output>" : line;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
