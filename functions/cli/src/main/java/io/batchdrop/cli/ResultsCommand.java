package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.publish.RunReplay;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code batchdrop results RUN [--out FILE]}: one JSON line per input row, in input order, each the
 * data of that row's result message (succeeded, failed, invalid and missing alike). Vertex writes
 * output in no particular order and shards interleave with invalid rows, so the rows go through an
 * {@link ExternalSort}: bounded memory whatever the run's size.
 */
@Command(
    name = "results",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop results RUN [--out FILE] [--json]",
    description =
        "Write one JSON line per input row, in input order: each row's result message data.",
    footerHeading = "%n",
    footer = {
      Deployment.ENVIRONMENT_HELP,
      "Exit codes: 0 every row written, 1 no such run, not finished, a field of"
          + " the wrong type in its document, or rows (or files) missing from what it left, 2"
          + " usage or I/O errors."
    })
final class ResultsCommand extends RunCommand {
  /** Records held before a sorted chunk is spilled to a temporary file. */
  static final long CHUNK_BYTES = 16L << 20;

  static final int FAN_IN = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the lines to FILE (default: standard output).")
  Path out;

  ResultsCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    RunStore store = new RunStore(clients.firestore());
    DocumentSnapshot doc = store.requireRun(run);
    ReplayCommand.requireEnded(doc, run, "results");
    RunView view = RunView.of(doc);
    List<DocumentSnapshot> jobs = store.jobs(run);
    RunFiles.requireOutputs(clients.storage(), run, jobs, "no results written");
    Path partial;
    try {
      partial = out == null ? null : partialFile(out);
    } catch (IOException e) {
      throw new OpsException(OutputFiles.describe(out, e));
    }
    long[] written = {0, 0, 0}; // rows written, rows absent, repeats dropped
    boolean moved = false;
    try (ExternalSort sort = new ExternalSort(CHUNK_BYTES, FAN_IN)) {
      try {
        new RunReplay(clients.storage(), clients.config(), Clock.systemUTC())
            .replay(
                doc,
                jobs,
                (row, status, message) -> sort.add(row, message.getData().toByteArray()));
      } catch (RunReplay.CannotRebuildException e) {
        throw new OpsException(e.getMessage() + "; no results written", Main.EXIT_INVALID);
      } catch (IOException | RuntimeException e) {
        Optional<String> gone = RunFiles.gone(e);
        if (gone.isPresent()) {
          throw RunFiles.goneError(run, gone.get(), "no results written");
        }
        if (e instanceof IOException) {
          throw new OpsException(
              "cannot read what run " + run + " left in the work bucket: " + Errors.describe(e));
        }
        throw e;
      }
      try (OutputStream stream =
          new BufferedOutputStream(
              partial == null ? unclosed(io.out()) : Files.newOutputStream(partial), 1 << 16)) {
        long[] previous = {0};
        sort.drain(
            (row, data) -> {
              if (row == previous[0]) {
                written[2]++;
                return;
              }
              written[1] += row - previous[0] - 1;
              previous[0] = row;
              stream.write(data);
              stream.write('\n');
              written[0]++;
            });
        written[1] += Math.max(0, view.rows() - previous[0]);
        stream.flush();
      }
      if (partial != null) {
        Files.move(
            partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        moved = true;
      }
    } catch (IOException e) {
      throw new OpsException(
          out == null
              ? "cannot write the results: " + e.getMessage()
              : OutputFiles.describe(out, e));
    } finally {
      if (partial != null && !moved) {
        Files.deleteIfExists(partial);
      }
    }
    boolean complete = written[1] == 0 && written[0] == view.rows();
    if (out != null || !complete) {
      String summary =
          "wrote "
              + Show.number(written[0])
              + " of "
              + Show.number(view.rows())
              + " rows"
              + (out == null ? "" : " to " + out)
              + (written[1] > 0 ? "; " + Show.number(written[1]) + " rows have no result" : "")
              + (written[2] > 0 ? "; " + Show.number(written[2]) + " repeats dropped" : "");
      if (json && out != null) {
        ObjectNode node =
            JSON.createObjectNode()
                .put("runId", run.value())
                .put("rows", view.rows())
                .put("written", written[0])
                .put("withoutResult", written[1])
                .put("out", out.toString());
        io.out().println(node);
      } else {
        (out == null ? io.err() : io.out()).println((complete ? "" : "batchdrop: ") + summary);
      }
    }
    return complete ? Main.EXIT_OK : Main.EXIT_INVALID;
  }

  /** Standard output stays open for whoever prints after this command. */
  private static OutputStream unclosed(OutputStream stdout) {
    return new java.io.FilterOutputStream(stdout) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  /** Beside the target, so the final move is atomic and a failed run leaves no half file. */
  private static Path partialFile(Path target) throws IOException {
    Path parent = target.toAbsolutePath().getParent();
    return Files.createTempFile(parent, "." + target.getFileName(), ".partial");
  }
}
