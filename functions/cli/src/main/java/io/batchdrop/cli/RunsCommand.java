package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.run.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code batchdrop runs [--limit N] [--state S] [--json]}: the most recent runs first. */
@Command(
    name = "runs",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop runs [--limit N] [--state S] [--json]",
    description =
        "List recent runs, newest first: id, state, rows, succeeded/failed/invalid/missing, cost,"
            + " age, source.",
    footerHeading = "%n",
    footer = {
      Deployment.FIRESTORE_ENVIRONMENT_HELP,
      "Exit codes: 0 listed (also when there are none), 1 a run's document has a field of the"
          + " wrong type (said, the others listed), 2 usage errors or the deployment could not be"
          + " reached."
    })
final class RunsCommand extends OpsCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = LimitConverter.class,
      description = "At most N runs (1 to 1000, default 20).")
  int limit = 20;

  @Option(
      names = "--state",
      paramLabel = "S",
      converter = StateConverter.class,
      description = "Only runs in this state (VALIDATING, REJECTED, ..., CANCELLED).")
  RunState state;

  RunsCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  Deployment.Reads reads() {
    return Deployment.Reads.FIRESTORE;
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    List<RunView> runs = new ArrayList<>();
    int unreadable = 0;
    for (DocumentSnapshot doc :
        new RunStore(clients.firestore()).recent(limit, state == null ? null : state.name())) {
      try {
        runs.add(RunView.of(doc));
      } catch (OpsException e) {
        // The other runs are still worth listing; this one is said, and the exit status tells.
        io.err().println("batchdrop: " + e.getMessage());
        unreadable++;
      }
    }
    int code = unreadable == 0 ? Main.EXIT_OK : Main.EXIT_INVALID;
    Instant now = Instant.now();
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode list = root.putArray("runs");
      runs.forEach(run -> list.add(RunStatus.runJson(run, now)));
      io.out().println(root);
      return code;
    }
    if (runs.isEmpty()) {
      if (unreadable == 0) {
        io.out().println(state == null ? "no runs" : "no runs in state " + state);
      }
      return code;
    }
    io.out()
        .printf(
            Locale.ROOT,
            "%-20s  %-10s  %9s  %-27s  %11s  %6s  %s%n",
            "RUN",
            "STATE",
            "ROWS",
            "OK/FAILED/INVALID/MISSING",
            "COST",
            "AGE",
            "SOURCE");
    for (RunView run : runs) {
      io.out()
          .printf(
              Locale.ROOT,
              "%-20s  %-10s  %9s  %-27s  %11s  %6s  %s%n",
              run.id(),
              run.state(),
              Show.number(run.rows()),
              run.succeeded() + "/" + run.failed() + "/" + run.invalid() + "/" + run.missing(),
              Show.usd(run.costUsd()),
              Show.since(run.createdAt(), now),
              run.source() == null ? "-" : run.source());
    }
    return code;
  }

  static final class LimitConverter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        int n = Integer.parseInt(value);
        if (n >= 1 && n <= RunStore.MAX_LIMIT) {
          return n;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new TypeConversionException(
          "\"" + value + "\" is not a whole number from 1 to " + RunStore.MAX_LIMIT);
    }
  }

  static final class StateConverter implements ITypeConverter<RunState> {
    @Override
    public RunState convert(String value) {
      try {
        return RunState.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(
            "\""
                + value
                + "\" is not a run state; expected one of "
                + Arrays.toString(RunState.values()));
      }
    }
  }
}
