package io.batchdrop.cli;

import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.run.RunId;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Follows a run until it ends ({@link RunView#ended}): reads it every {@code interval}, and prints
 * its status when it changed (on a terminal, redrawn in place). A run not there yet (a file just
 * uploaded, before submit took it) is waited for, saying so once.
 */
final class RunWatcher {
  private final RunStore store;
  private final PrintStream out;
  private final boolean terminal;
  private final boolean json;
  private final Duration interval;
  private final Clock clock;

  RunWatcher(
      RunStore store,
      PrintStream out,
      boolean terminal,
      boolean json,
      Duration interval,
      Clock clock) {
    this.store = store;
    this.out = out;
    this.terminal = terminal;
    this.json = json;
    this.interval = interval;
    this.clock = clock;
  }

  /**
   * Returns the run's last status once it ended, or empty when {@code timeout} (zero: none) passed
   * first.
   */
  Optional<RunStatus> follow(RunId runId, Duration timeout, boolean mayNotExistYet)
      throws OpsException, InterruptedException {
    Instant deadline = timeout.isZero() ? Instant.MAX : clock.instant().plus(timeout);
    String shown = null;
    boolean waitingSaid = false;
    while (true) {
      Optional<DocumentSnapshot> doc = store.run(runId);
      if (doc.isEmpty()) {
        if (!mayNotExistYet) {
          throw OpsException.notFound(runId);
        }
        if (!waitingSaid && !json) {
          out.println("waiting for submit to take the file (run " + runId + ")…");
          waitingSaid = true;
        }
      } else {
        List<JobView> jobs = store.jobs(runId, JobView.FIELDS).stream().map(JobView::of).toList();
        RunStatus status = new RunStatus(RunView.of(doc.get()), jobs, clock.instant());
        String text = json ? status.json().toString() : status.text(terminal);
        String comparable = comparable(status);
        if (!comparable.equals(shown)) {
          if (terminal && !json) {
            out.print("\u001b[H\u001b[2J");
          }
          out.print(json ? text + "\n" : text);
          out.flush();
          shown = comparable;
        }
        if (status.run().ended()) {
          return Optional.of(status);
        }
      }
      if (!clock.instant().isBefore(deadline)) {
        return Optional.empty();
      }
      Thread.sleep(interval.toMillis()); // the refresh period of a person watching, not a sync
    }
  }

  /** The JSON without the fields that change with the clock alone. */
  private static String comparable(RunStatus status) {
    var node = status.json();
    node.remove("etaSeconds");
    ((com.fasterxml.jackson.databind.node.ObjectNode) node.get("run")).remove("ageSeconds");
    node.get("jobs")
        .forEach(
            j -> {
              ((com.fasterxml.jackson.databind.node.ObjectNode) j).remove("secondsInState");
              ((com.fasterxml.jackson.databind.node.ObjectNode) j).remove("etaSeconds");
            });
    return node.toString();
  }
}
