package io.batchdrop.cli;

import io.batchdrop.cloud.CloudClients;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code batchdrop status RUN [--watch] [--json]}. */
@Command(
    name = "status",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop status RUN [--watch] [--interval S] [--timeout S] [--json]",
    description =
        "Show a run and each of its jobs: state, progress, rows published, tokens, cost, ETA.",
    footerHeading = "%n",
    footer = {
      Deployment.FIRESTORE_ENVIRONMENT_HELP,
      "Exit codes: 0 the run was shown (with --watch: it ended), 1 no such run, its document has a"
          + " field of the wrong type, or --timeout passed first, 2 usage errors or the deployment"
          + " could not be reached."
    })
final class StatusCommand extends RunCommand {

  @Option(names = "--watch", description = "Refresh until the run ends.")
  boolean watch;

  @Mixin WatchOptions watchOptions;

  StatusCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  Deployment.Reads reads() {
    return Deployment.Reads.FIRESTORE;
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    RunStore store = new RunStore(clients.firestore());
    boolean terminal = io.out() == System.out && Terminal.stdoutIsTerminal();
    if (!watch) {
      var doc = store.requireRun(run);
      List<JobView> jobs = store.jobs(run, JobView.FIELDS).stream().map(JobView::of).toList();
      RunStatus status = new RunStatus(RunView.of(doc), jobs, Clock.systemUTC().instant());
      io.out().print(json ? status.json().toString() + "\n" : status.text(terminal));
      return Main.EXIT_OK;
    }
    RunWatcher watcher =
        new RunWatcher(store, io.out(), terminal, json, watchOptions.interval(), Clock.systemUTC());
    Optional<RunStatus> end = watcher.follow(run, watchOptions.timeout(), false);
    if (end.isEmpty()) {
      io.err()
          .println(
              "batchdrop: run "
                  + run
                  + " had not ended after "
                  + watchOptions.timeout().toSeconds()
                  + " s");
      return Main.EXIT_INVALID;
    }
    return Main.EXIT_OK;
  }
}
