package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.batchdrop.emulator.storage.StorageEmulator;
import io.batchdrop.emulator.storage.StorageEmulatorConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
  private static final String RUN = "0123456789abcdef0123";
  private static final String PAGE = "<!DOCTYPE html><html><body>run report é</body></html>\n";
  private static StorageEmulator emulator;
  private static Storage storage;

  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeAll
  static void startStorage() throws Exception {
    emulator = StorageEmulator.start(StorageEmulatorConfig.inMemory());
    storage =
        StorageOptions.http()
            .setHost(emulator.baseUri().toString())
            .setProjectId("local")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    storage.create(BucketInfo.of("work"));
    storage.create(
        BlobInfo.newBuilder("work", "runs/" + RUN + "/report.html")
            .setContentType("text/html; charset=utf-8")
            .build(),
        PAGE.getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stopStorage() throws Exception {
    storage.close();
    emulator.close();
  }

  @Test
  void theReportIsFetchedIntoTheFileNamed() throws Exception {
    Path file = dir.resolve("r.html");

    int code = run(env(), "report", RUN, "--out", file.toString());

    assertThat(code).isZero();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(PAGE);
    assertThat(stdout())
        .isEqualTo(
            "wrote " + file + " (" + PAGE.getBytes(StandardCharsets.UTF_8).length + " bytes)\n");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void anOutInADirectoryThatDoesNotExistSaysSoInOneLine() {
    Path file = dir.resolve("nowhere").resolve("r.html");

    int code = run(env(), "report", RUN, "--out", file.toString());

    assertThat(code).isEqualTo(2);
    assertThat(stderr())
        .isEqualTo(
            "batchdrop: cannot write " + file + ": no such directory " + file.getParent() + "\n");
  }

  @Test
  void dashWritesThePageToStandardOutput() {
    assertThat(run(env(), "report", RUN, "--out", "-")).isZero();
    assertThat(stdout()).isEqualTo(PAGE);
  }

  @Test
  void theBucketFlagWinsOverTheEnvironment() throws Exception {
    Map<String, String> env =
        Map.of(
            "STORAGE_EMULATOR_HOST",
            emulator.baseUri().toString(),
            "BATCHDROP_WORK_BUCKET",
            "elsewhere");
    Path file = dir.resolve("flag.html");
    assertThat(run(env, "report", RUN, "--work-bucket", "work", "--out", file.toString())).isZero();
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(PAGE);
  }

  @Test
  void openHandsTheWrittenFileToTheOpener() throws Exception {
    Path file = dir.resolve("open.html");
    Path seen = dir.resolve("opened");
    int code =
        run(
            env(),
            cmd -> cmd.opener = List.of("sh", "-c", "cp \"$0\" " + seen),
            "report",
            RUN,
            "--out",
            file.toString(),
            "--open");
    assertThat(code).isZero();
    assertThat(Files.readString(seen, StandardCharsets.UTF_8)).isEqualTo(PAGE);
  }

  @Test
  void anOpenerThatIsMissingSaysWhereThePageIs() {
    Path file = dir.resolve("no-opener.html");
    int code =
        run(
            env(),
            cmd -> cmd.opener = List.of(dir.resolve("no-such-xdg-open").toString()),
            "report",
            RUN,
            "--out",
            file.toString(),
            "--open");
    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("cannot run").contains("open " + file + " yourself");
    assertThat(Files.exists(file)).isTrue();
  }

  @Test
  void aRunWithoutAReportSaysSoInOneLineNamingTheRejectedCaseAndExits1() {
    int code = run(env(), "report", "ffffffffffffffffffff", "--out", dir.resolve("x").toString());
    assertThat(code).isEqualTo(1);
    assertThat(stderr())
        .isEqualTo(
            "batchdrop: run ffffffffffffffffffff has no report at"
                + " gs://work/runs/ffffffffffffffffffff/report.html: publish writes it when the run"
                + " closes, and a run rejected before it ran never gets one (batchdrop status"
                + " ffffffffffffffffffff shows why)\n");
    assertThat(Files.exists(dir.resolve("x"))).isFalse();
  }

  @Test
  void withoutAWorkBucketItIsAUsageError() {
    int code = run(Map.of(), "report", RUN);
    assertThat(code).isEqualTo(2);
    assertThat(stderr())
        .startsWith(
            "batchdrop: no work bucket: pass --work-bucket B or set BATCHDROP_WORK_BUCKET\n")
        .contains("usage: batchdrop report RUN");
  }

  @Test
  void somethingThatIsNotARunIdIsAUsageErrorCutShort() {
    int code = run(env(), "report", "../../etc/passwd" + "x".repeat(10_000));
    assertThat(code).isEqualTo(2);
    assertThat(stderr().lines().findFirst().orElseThrow())
        .startsWith("batchdrop: RUN is \"../../etc/passwd")
        .endsWith("…\"; expected a run id of 20 hex digits")
        .hasSizeLessThan(200);
  }

  @Test
  void helpShowsTheUsage() {
    assertThat(run(env(), "report", "--help")).isZero();
    assertThat(stdout()).contains("usage: batchdrop report RUN [--out FILE] [--open]");
  }

  private Map<String, String> env() {
    return Map.of(
        "STORAGE_EMULATOR_HOST", emulator.baseUri().toString(), "BATCHDROP_WORK_BUCKET", "work");
  }

  private int run(Map<String, String> env, String... args) {
    return run(env, cmd -> {}, args);
  }

  private int run(
      Map<String, String> env, java.util.function.Consumer<ReportCommand> setup, String... args) {
    Main.Io io =
        new Main.Io(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            false);
    CommandLine cl = Main.commandLine(io);
    ReportCommand command = new ReportCommand(io, env);
    setup.accept(command);
    // The same command line the tool builds, with this test's environment in the report command.
    cl.getCommandSpec().removeSubcommand("report");
    cl.addSubcommand(command);
    cl.setOut(new java.io.PrintWriter(io.out(), true));
    cl.setErr(new java.io.PrintWriter(io.err(), true));
    cl.setUsageHelpWidth(100);
    return cl.execute(args);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
