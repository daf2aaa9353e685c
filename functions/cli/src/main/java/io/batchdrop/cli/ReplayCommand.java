package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.results.ResultPublisher;
import io.batchdrop.cloud.results.RowStatus;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.publish.RunReplay;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code batchdrop replay RUN [--topic T] [--status S]}: publishes a finished run's result messages
 * again, built by publish's own code from what the run left in the work bucket ({@link RunReplay}),
 * with the same attributes and {@code dedup_id}s, for a subscriber that came late or lost some.
 */
@Command(
    name = "replay",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop replay RUN [--topic T] [--status S[,S...]] [--json]",
    description =
        "Publish a finished run's result messages again, with the same dedup_ids, from the work"
            + " bucket.",
    footerHeading = "%n",
    footer = {
      Deployment.ENVIRONMENT_HELP,
      "Exit codes: 0 replayed, 1 no such run, it has not finished, its"
          + " document has a field of the wrong type, or rows of it are gone from the work bucket,"
          + " 2 usage errors or the deployment could not be reached."
    })
final class ReplayCommand extends RunCommand {
  /** Messages between two waits for the server's confirmations. */
  static final int FLUSH_EVERY = 1000;

  static final Duration FLUSH_DEADLINE = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--topic",
      paramLabel = "T",
      description = "Topic id to publish to (default: the results topic, BATCHDROP_RESULTS_TOPIC).")
  String topic;

  @Option(
      names = "--status",
      paramLabel = "S",
      split = ",",
      converter = StatusConverter.class,
      description = "Only rows with this outcome: succeeded, failed, invalid, missing.")
  Set<RowStatus> statuses;

  ReplayCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    RunStore store = new RunStore(clients.firestore());
    DocumentSnapshot doc = store.requireRun(run);
    requireEnded(doc, run, "replay");
    String target = topic == null ? clients.config().topics().results() : topic;
    Set<RowStatus> wanted = statuses == null ? EnumSet.allOf(RowStatus.class) : statuses;
    ResultPublisher publisher = new ResultPublisher(clients.publisher(target), FLUSH_DEADLINE);
    List<DocumentSnapshot> jobs = store.jobs(run);
    RunFiles.requireOutputs(clients.storage(), run, jobs, "nothing replayed");
    Map<RowStatus, Long> counts = new EnumMap<>(RowStatus.class);
    long[] sent = {0};
    long[] rebuilt = {0};
    try {
      new RunReplay(clients.storage(), clients.config(), Clock.systemUTC())
          .replay(
              doc,
              jobs,
              (row, status, message) -> {
                rebuilt[0]++;
                if (!wanted.contains(status)) {
                  return;
                }
                publisher.publish(message);
                counts.merge(status, 1L, Long::sum);
                if (++sent[0] % FLUSH_EVERY == 0) {
                  publisher.flush();
                }
              });
    } catch (RunReplay.CannotRebuildException e) {
      publisher.flush();
      throw new OpsException(
          e.getMessage() + " (" + Show.number(sent[0]) + " messages replayed before)",
          Main.EXIT_INVALID);
    } catch (IOException | RuntimeException e) {
      Optional<String> gone = RunFiles.gone(e);
      if (gone.isEmpty()) {
        throw e;
      }
      publisher.flush();
      throw RunFiles.goneError(
          run, gone.get(), Show.number(sent[0]) + " messages were replayed before it");
    }
    publisher.flush();
    if (json) {
      ObjectNode out = JSON.createObjectNode().put("runId", run.value()).put("topic", target);
      out.put("messages", sent[0]);
      ObjectNode byStatus = out.putObject("byStatus");
      for (RowStatus status : RowStatus.values()) {
        byStatus.put(status.label(), counts.getOrDefault(status, 0L));
      }
      io.out().println(out);
    } else {
      StringBuilder line =
          new StringBuilder("replayed ")
              .append(Show.number(sent[0]))
              .append(" messages of run ")
              .append(run)
              .append(" to topic ")
              .append(target)
              .append(" (");
      String sep = "";
      for (RowStatus status : RowStatus.values()) {
        line.append(sep)
            .append(status.label())
            .append(' ')
            .append(Show.number(counts.getOrDefault(status, 0L)));
        sep = ", ";
      }
      io.out().println(line.append(')'));
    }
    long rows = RunView.of(doc).rows();
    if (rebuilt[0] < rows) {
      io.err()
          .println(
              "batchdrop: "
                  + RunFiles.rowsWithout(run, rows - rebuilt[0], rows)
                  + ", so no message was sent for them (batchdrop results "
                  + run
                  + " lists the rows there are)");
      return Main.EXIT_INVALID;
    }
    return Main.EXIT_OK;
  }

  /** Replay and results read what a finished run left: a run in progress has not left it yet. */
  static void requireEnded(DocumentSnapshot doc, RunId run, String command) throws OpsException {
    RunView view = RunView.of(doc);
    if (view.ended() && !view.closed()) {
      // Rejected, or failed before anything was staged: waiting would never give it rows.
      throw new OpsException(
          "run "
              + run
              + " was "
              + view.state()
              + (view.reason() == null ? "" : " (" + view.reason() + ")")
              + ", so it never ran and "
              + command
              + " has no rows to give; batchdrop status "
              + run
              + (RunState.REJECTED.name().equals(view.state())
                  ? " shows its findings"
                  : " shows why"),
          Main.EXIT_INVALID);
    }
    if (!view.closed()) {
      throw new OpsException(
          "run "
              + run
              + " is "
              + view.state()
              + " and has not finished; "
              + command
              + " needs a finished run (batchdrop status "
              + run
              + " --watch waits for it)",
          Main.EXIT_INVALID);
    }
  }

  static final class StatusConverter implements ITypeConverter<RowStatus> {
    @Override
    public RowStatus convert(String value) {
      try {
        return RowStatus.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "\""
                + value
                + "\" is not a row status; expected succeeded, failed, invalid or missing");
      }
    }
  }
}
