package io.batchdrop.cli;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code batchdrop report RUN [--out FILE] [--open]}: fetches the page {@code publish} wrote when
 * the run closed, {@code gs://WORK/runs/RUN/report.html}, to a file (or standard output), and opens
 * it in the desktop's browser with {@code xdg-open}. The work bucket comes from {@code
 * --work-bucket} or {@code BATCHDROP_WORK_BUCKET}; Cloud Storage is reached with Application
 * Default Credentials, or the emulator at {@code STORAGE_EMULATOR_HOST}.
 */
@Command(
    name = "report",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop report RUN [--out FILE] [--open] [--work-bucket B] [--project P]",
    description = {
      "Fetch the run report page (report.html) publish wrote when the run closed.",
      "Without --out it is written to batchdrop-report-RUN.html in the current directory."
    },
    footerHeading = "%n",
    footer = {
      "Environment: BATCHDROP_WORK_BUCKET, GOOGLE_CLOUD_PROJECT, STORAGE_EMULATOR_HOST"
          + " (http://host:port of a Cloud Storage emulator).",
      "Exit codes: 0 fetched, 1 the run has no report (yet), 2 usage or I/O errors."
    })
final class ReportCommand implements Callable<Integer> {
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{20}");

  /** A page larger than this was not written by publish (its pages are bounded far below). */
  static final long MAX_PAGE_BYTES = 8L << 20;

  private static final Duration OPEN_DEADLINE = Duration.ofSeconds(30);

  private final Main.Io io;
  private final Map<String, String> env;

  /** The command that opens a file in the desktop's browser; a test puts its own here. */
  List<String> opener = List.of("xdg-open");

  @Spec CommandSpec spec;
  @Mixin HelpOption help;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (20 hex digits).")
  String runId;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the page; - for standard output.")
  String out;

  @Option(names = "--open", description = "Open the page with xdg-open once it is written.")
  boolean open;

  @Option(
      names = "--work-bucket",
      paramLabel = "B",
      description = "The deployment's work bucket (default: $BATCHDROP_WORK_BUCKET).")
  String workBucket;

  @Option(
      names = "--project",
      paramLabel = "P",
      description = "The project to bill the read to (default: $GOOGLE_CLOUD_PROJECT, or ADC's).")
  String project;

  ReportCommand(Main.Io io, Map<String, String> env) {
    this.io = io;
    this.env = env;
  }

  @Override
  public Integer call() {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new ParameterException(
          spec.commandLine(), "RUN is \"" + cut(runId) + "\"; expected a run id of 20 hex digits");
    }
    String bucket = workBucket != null ? workBucket : env.get("BATCHDROP_WORK_BUCKET");
    if (bucket == null || bucket.isBlank()) {
      throw new ParameterException(
          spec.commandLine(), "no work bucket: pass --work-bucket B or set BATCHDROP_WORK_BUCKET");
    }
    if ("-".equals(out) && open) {
      throw new ParameterException(
          spec.commandLine(), "--open needs a file to open; --out - writes to standard output");
    }
    String object = "runs/" + runId + "/report.html";
    String uri = "gs://" + bucket + "/" + object;
    byte[] page;
    try (Storage storage = storage()) {
      Blob blob = storage.get(BlobId.of(bucket, object));
      if (blob == null) {
        io.err()
            .println(
                "batchdrop: run "
                    + runId
                    + " has no report at "
                    + uri
                    + ": publish writes it when the run closes, and a run rejected before it ran"
                    + " never gets one (batchdrop status "
                    + runId
                    + " shows why)");
        return Main.EXIT_INVALID;
      }
      if (blob.getSize() != null && blob.getSize() > MAX_PAGE_BYTES) {
        io.err()
            .println(
                "batchdrop: "
                    + uri
                    + " is "
                    + blob.getSize()
                    + " bytes; expected a report page of at most "
                    + MAX_PAGE_BYTES);
        return Main.EXIT_USAGE;
      }
      page = blob.getContent();
    } catch (StorageException e) {
      io.err().println("batchdrop: cannot read " + uri + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (Exception e) {
      io.err().println("batchdrop: cannot read " + uri + ": " + e);
      return Main.EXIT_USAGE;
    }
    if ("-".equals(out)) {
      io.out().write(page, 0, page.length);
      io.out().flush();
      return Main.EXIT_OK;
    }
    Path file = Path.of(out != null ? out : "batchdrop-report-" + runId + ".html");
    try {
      Files.write(file, page);
    } catch (IOException e) {
      io.err().println("batchdrop: " + OutputFiles.describe(file, e));
      return Main.EXIT_USAGE;
    }
    io.out().println("wrote " + file + " (" + String.format("%,d", page.length) + " bytes)");
    return open ? open(file) : Main.EXIT_OK;
  }

  private int open(Path file) {
    List<String> command = new ArrayList<>(opener);
    command.add(file.toAbsolutePath().toString());
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!process.waitFor(OPEN_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
        process.destroy();
        io.err().println("batchdrop: " + opener.get(0) + " did not return within 30 s");
        return Main.EXIT_USAGE;
      }
      if (process.exitValue() != 0) {
        io.err()
            .println(
                "batchdrop: "
                    + opener.get(0)
                    + " exited "
                    + process.exitValue()
                    + "; open "
                    + file
                    + " yourself");
        return Main.EXIT_USAGE;
      }
      return Main.EXIT_OK;
    } catch (IOException e) {
      io.err()
          .println(
              "batchdrop: cannot run "
                  + opener.get(0)
                  + " ("
                  + e.getMessage()
                  + "); open "
                  + file
                  + " yourself");
      return Main.EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Main.EXIT_USAGE;
    }
  }

  private Storage storage() {
    StorageOptions.Builder builder = StorageOptions.http();
    String projectId = project != null ? project : env.get("GOOGLE_CLOUD_PROJECT");
    if (projectId != null && !projectId.isBlank()) {
      builder.setProjectId(projectId);
    }
    String emulator = env.get("STORAGE_EMULATOR_HOST");
    if (emulator != null && !emulator.isBlank()) {
      builder
          .setHost(emulator.contains("://") ? emulator : "http://" + emulator)
          .setCredentials(NoCredentials.getInstance());
      if (projectId == null || projectId.isBlank()) {
        builder.setProjectId("local");
      }
    }
    return builder.build().getService();
  }

  private static String cut(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
