package io.batchdrop.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The promises the fault run holds the stack to once it settled, for one upload (design §2, §5,
 * §6): one run per upload generation; one batch job per shard attempt, each recorded; every input
 * row exactly one terminal outcome on the results topic (a repeat is allowed only as the same
 * message again: the same {@code dedup_id} and status, the at-least-once duplicates subscribers
 * drop); counts that add up and agree with the messages; the run ended, closed, and announced by a
 * {@code run.completed} carrying the same counts; or, for a generation overwritten while it ran
 * ({@code --overwrite}), rejected before a row of it was read, with nothing of it run. Each broken
 * promise is one line saying what was expected.
 */
final class InvariantChecker {
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "PARTIAL", "FAILED", "CANCELLED");
  private static final List<String> OUTCOMES = List.of("succeeded", "failed", "invalid", "missing");

  /** At most this many lines per kind, so one lost shard does not print thousands of rows. */
  static final int EXAMPLES = 5;

  private InvariantChecker() {}

  static List<String> check(Snapshot s) {
    List<String> violations = new ArrayList<>();
    if (s.runs().size() != 1) {
      violations.add(
          s.upload() + ": " + s.runs().size() + " run documents; expected exactly one per upload");
      if (s.runs().isEmpty()) {
        return violations;
      }
    }
    Snapshot.Run run = s.runs().get(0);
    String at = "run " + run.runId() + " (" + s.upload() + ")";
    if ("REJECTED".equals(run.state())) {
      if (s.overwritten()) {
        checkSuperseded(s, run, at, violations);
      } else {
        violations.add(at + ": REJECTED; expected the file to be accepted (it is valid enough)");
      }
      return violations;
    }
    if (!TERMINAL.contains(run.state()) || !run.closed()) {
      violations.add(
          at
              + ": state "
              + run.state()
              + (run.closed() ? "" : ", not closed")
              + "; expected a terminal state with final counts once the stack settled");
    }
    checkJobs(s, at, violations);
    checkRows(s, run, at, violations);
    checkCompleted(s, run, at, violations);
    return violations;
  }

  /**
   * An upload overwritten before submit read it to its end is rejected (its generation is gone),
   * and then nothing of it may run: no job, no batch job, no row outcome. Overwritten after it was
   * read, it runs to the end like any other, and the other checks apply. A rejection that counts
   * rows came after submit read the file through, so it is the file's own, never due to a valid
   * enough file: the generation vanishing mid-read leaves the counts at 0.
   */
  private static void checkSuperseded(
      Snapshot s, Snapshot.Run run, String at, List<String> violations) {
    long read = run.counts().getOrDefault("rows", 0L);
    if (read > 0) {
      violations.add(
          at
              + ": REJECTED as overwritten after its "
              + read
              + " row(s) were read; expected its generation gone before it was read through"
              + " (the file is valid enough to be accepted)");
    }
    long outcomes = s.results().stream().filter(r -> r.runId().equals(run.runId())).count();
    if (!s.jobs().isEmpty() || !s.vertexJobs().isEmpty() || outcomes > 0) {
      violations.add(
          at
              + ": REJECTED as overwritten, yet "
              + s.jobs().size()
              + " job document(s), "
              + s.vertexJobs().size()
              + " batch job(s) and "
              + outcomes
              + " row outcome(s); expected none of a generation that was never read through");
    }
  }

  private static void checkJobs(Snapshot s, String at, List<String> violations) {
    Map<String, Long> perName =
        s.vertexJobs().stream()
            .collect(Collectors.groupingBy(n -> n, TreeMap::new, Collectors.counting()));
    perName.forEach(
        (name, count) -> {
          if (count > 1) {
            violations.add(
                at + ": shard attempt " + name + " has " + count + " batch jobs; expected one");
          }
        });
    Set<String> recorded = new TreeSet<>();
    for (Snapshot.Job job : s.jobs()) {
      if (!job.vertexName().isEmpty()) {
        recorded.add(job.jobId());
        if (!perName.containsKey(job.jobId())) {
          violations.add(
              at
                  + ": job "
                  + job.jobId()
                  + " records batch job "
                  + job.vertexName()
                  + " that the backend does not have");
        }
      }
      if (!job.publishDone()) {
        violations.add(
            at + ": job " + job.jobId() + " (" + job.state() + ") not published; expected done");
      }
    }
    for (String name : perName.keySet()) {
      if (!recorded.contains(name)) {
        violations.add(
            at + ": batch job " + name + " is recorded in no job document; expected every one");
      }
    }
  }

  private static void checkRows(Snapshot s, Snapshot.Run run, String at, List<String> violations) {
    long rows = run.counts().getOrDefault("rows", -1L);
    Map<Long, Map<String, Set<String>>> byRow = new TreeMap<>();
    for (Snapshot.Result r : s.results()) {
      if (!r.runId().equals(run.runId())) {
        continue;
      }
      byRow
          .computeIfAbsent(r.row(), k -> new TreeMap<>())
          .computeIfAbsent(r.dedupId(), k -> new TreeSet<>())
          .add(r.status());
    }
    List<String> missing = new ArrayList<>();
    List<String> unexpected = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    List<String> outside = new ArrayList<>();
    Map<String, Long> tally = new TreeMap<>();
    for (long row = 1; row <= rows; row++) {
      Map<String, Set<String>> outcomes = byRow.get(row);
      if (outcomes == null) {
        missing.add(Long.toString(row));
        continue;
      }
      Set<String> statuses = new TreeSet<>();
      outcomes.values().forEach(statuses::addAll);
      if (outcomes.size() > 1 || statuses.size() > 1) {
        twice.add(row + " " + outcomes);
      }
      String status = statuses.iterator().next();
      tally.merge(status, 1L, Long::sum);
      String wanted = s.expected().get(row);
      if (wanted != null && !statuses.contains(wanted)) {
        unexpected.add(row + " " + status + " (expected " + wanted + ")");
      }
    }
    byRow.keySet().stream()
        .filter(row -> row < 1 || row > rows)
        .forEach(row -> outside.add(Long.toString(row)));
    report(violations, at, missing, "row(s) without an outcome; expected exactly one each");
    report(
        violations,
        at,
        twice,
        "row(s) with more than one outcome (by dedup_id and status); expected one, repeats only"
            + " with the same dedup_id");
    report(
        violations,
        at,
        unexpected,
        "row(s) whose outcome is not the one the file asks for; every other fault is transient, so"
            + " a retry must have fixed it");
    report(
        violations, at, outside, "outcome(s) for rows the file does not have (rows: " + rows + ")");
    long sum = 0;
    for (String outcome : OUTCOMES) {
      long counted = run.counts().getOrDefault(outcome, 0L);
      sum += counted;
      long published = tally.getOrDefault(outcome, 0L);
      if (counted != published) {
        violations.add(
            at
                + ": counts."
                + outcome
                + " is "
                + counted
                + " but "
                + published
                + " row(s) have that outcome on the results topic");
      }
    }
    if (sum != rows) {
      violations.add(
          at
              + ": succeeded + failed + invalid + missing = "
              + sum
              + "; expected counts.rows = "
              + rows);
    }
  }

  private static void checkCompleted(
      Snapshot s, Snapshot.Run run, String at, List<String> violations) {
    List<Snapshot.Completed> final_ =
        s.completed().stream()
            .filter(c -> c.runId().equals(run.runId()) && !c.counts().isEmpty())
            .toList();
    if (final_.isEmpty()) {
      violations.add(at + ": no run.completed with counts; expected one once the run closed");
      return;
    }
    for (Snapshot.Completed c : final_) {
      for (String key : List.of("rows", "succeeded", "failed", "invalid", "missing")) {
        long event = c.counts().getOrDefault(key, 0L);
        long doc = run.counts().getOrDefault(key, 0L);
        if (event != doc) {
          violations.add(
              at
                  + ": run.completed says "
                  + key
                  + " = "
                  + event
                  + ", the run document "
                  + doc
                  + "; expected the same");
        }
      }
      if (!c.state().equals(run.state())) {
        violations.add(
            at + ": run.completed says " + c.state() + ", the run document " + run.state());
      }
    }
  }

  private static void report(
      List<String> violations, String at, List<String> examples, String what) {
    if (examples.isEmpty()) {
      return;
    }
    violations.add(
        at
            + ": "
            + examples.size()
            + " "
            + what
            + ": "
            + String.join(", ", examples.subList(0, Math.min(EXAMPLES, examples.size())))
            + (examples.size() > EXAMPLES ? ", …" : ""));
  }
}
