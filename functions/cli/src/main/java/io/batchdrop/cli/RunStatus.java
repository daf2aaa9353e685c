package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.batchdrop.cloud.run.RunState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One look at a run and its jobs: the human text ({@link #text}) and the JSON ({@link #json}).
 * Progress is Vertex's {@code completionStats} as poll recorded it; the ETA is given only for a job
 * that runs and has finished rows (the rate so far, extrapolated), and for the run only when every
 * unfinished job has one: a queued job has no honest ETA.
 */
record RunStatus(RunView run, List<JobView> jobs, Instant now) {
  static final int BAR_WIDTH = 24;

  /** A run left VALIDATING this long is likely stalled (poll's run.stuck threshold). */
  static final Duration VALIDATING_STALL = Duration.ofMinutes(30);

  private static final ObjectMapper JSON = new ObjectMapper();

  Optional<Duration> eta(JobView job) {
    if (job.terminal()
        || !"JOB_STATE_RUNNING".equals(job.state())
        || job.startedAt() == null
        || job.rows() <= 0) {
      return Optional.empty();
    }
    long done = job.done();
    if (done <= 0 || done >= job.rows()) {
      return Optional.empty();
    }
    Duration elapsed = Duration.between(job.startedAt(), now);
    if (elapsed.isNegative() || elapsed.isZero()) {
      return Optional.empty();
    }
    long millis = elapsed.toMillis() * (job.rows() - done) / done;
    return Optional.of(Duration.ofMillis(millis));
  }

  /** The run's ETA: the slowest unfinished job's, if every unfinished job has one. */
  Optional<Duration> runEta() {
    if (run.ended() || jobs.isEmpty()) {
      return Optional.empty();
    }
    Duration longest = Duration.ZERO;
    boolean unfinished = false;
    for (JobView job : jobs) {
      if (job.terminal()) {
        continue;
      }
      unfinished = true;
      Optional<Duration> eta = eta(job);
      if (eta.isEmpty()) {
        return Optional.empty();
      }
      longest = eta.get().compareTo(longest) > 0 ? eta.get() : longest;
    }
    return unfinished ? Optional.of(longest) : Optional.empty();
  }

  List<String> warnings() {
    List<String> warnings = new ArrayList<>();
    if (RunState.VALIDATING.name().equals(run.state())
        && run.updatedAt() != null
        && Duration.between(run.updatedAt(), now).compareTo(VALIDATING_STALL) > 0) {
      warnings.add(
          "run has been VALIDATING with no sign of life for "
              + Show.since(run.updatedAt(), now)
              + "; poll's watchdog ends it after BATCHDROP_RUN_MAX_AGE_HOURS");
    }
    for (JobView job : jobs) {
      for (String mark : job.stuck()) {
        warnings.add("job " + job.id() + " is stuck (" + mark + "), " + job.state());
      }
    }
    return warnings;
  }

  BigDecimal costSoFar() {
    if (run.costUsd() != null) {
      return run.costUsd();
    }
    BigDecimal sum = null;
    for (JobView job : jobs) {
      if (job.costUsd() != null) {
        sum = sum == null ? job.costUsd() : sum.add(job.costUsd());
      }
    }
    return sum;
  }

  long tokensSoFar() {
    if (run.tokens() != null && run.tokens().get("total") instanceof Number n) {
      return n.longValue();
    }
    return jobs.stream().mapToLong(JobView::tokens).sum();
  }

  long publishedSoFar() {
    // counts.published is submit's (and the run watchdog's) count of invalid rows published;
    // publish counts the rest per job.
    long published = run.published();
    for (JobView job : jobs) {
      published += job.published();
    }
    return run.closed()
        ? run.succeeded() + run.failed() + run.invalid() + run.missing()
        : published;
  }

  String text(boolean terminal) {
    StringBuilder out = new StringBuilder();
    out.append("run ")
        .append(run.id())
        .append("  ")
        .append(Show.colour(terminal, run.state(), run.state()))
        .append("  ")
        .append(run.source() == null ? "-" : run.source())
        .append("  model ")
        .append(run.model() == null ? "-" : run.model())
        .append('\n');
    if (run.reason() != null) {
      out.append("reason: ").append(run.reason()).append('\n');
    }
    // A rejected run sends no result messages: its findings are the only word on what to fix.
    if (RunState.REJECTED.name().equals(run.state()) && !run.firstFindings().isEmpty()) {
      run.firstFindings().forEach(f -> out.append("  ").append(f).append('\n'));
      out.append("  (the first findings; all of them in ")
          .append(run.reportUri() == null ? "the run's report.json" : run.reportUri())
          .append(")\n");
    }
    out.append("rows ")
        .append(Show.number(run.rows()))
        .append(" (valid ")
        .append(Show.number(run.valid()))
        .append(", invalid ")
        .append(Show.number(run.invalid()))
        .append("); published ")
        .append(Show.number(publishedSoFar()));
    if (run.closed()) {
      out.append(": succeeded ")
          .append(Show.number(run.succeeded()))
          .append(", failed ")
          .append(Show.number(run.failed()))
          .append(", invalid ")
          .append(Show.number(run.invalid()))
          .append(", missing ")
          .append(Show.number(run.missing()));
    }
    out.append('\n');
    out.append("tokens ")
        .append(Show.number(tokensSoFar()))
        .append(", cost ")
        .append(run.closed() ? "" : "so far ")
        .append(Show.usd(costSoFar()))
        .append(", age ")
        .append(Show.since(run.createdAt(), now));
    if (run.cancelRequestedAt() != null) {
      out.append(", cancel requested ")
          .append(Show.since(run.cancelRequestedAt(), now))
          .append(" ago");
    }
    Optional<Duration> eta = runEta();
    if (eta.isPresent()) {
      out.append(", ETA ~").append(Show.duration(eta.get())).append(" (rate so far)");
    } else if (!run.ended()) {
      out.append(", no ETA yet");
    }
    out.append('\n');
    for (JobView job : jobs) {
      out.append("  job ")
          .append(job.id())
          .append("  ")
          .append(Show.colour(terminal, job.state(), job.state() == null ? "-" : job.state()));
      if (job.rows() > 0 && job.successful() < 0 && job.failedCount() < 0) {
        out.append("  ").append(Show.number(job.rows())).append(" rows, no progress reported yet");
      } else if (job.rows() > 0) {
        long done = job.done();
        out.append("  ");
        if (terminal) {
          out.append(Show.bar(done, job.rows(), BAR_WIDTH)).append(' ');
        }
        out.append(Show.percent(done, job.rows()))
            .append(' ')
            .append(Show.number(done))
            .append('/')
            .append(Show.number(job.rows()))
            .append(" rows");
        if (job.failedCount() > 0) {
          out.append(" (").append(Show.number(job.failedCount())).append(" failed)");
        }
      }
      out.append("  in state ").append(Show.since(job.stateChangedAt(), now));
      eta(job).ifPresent(d -> out.append("  ETA ~").append(Show.duration(d)));
      out.append('\n');
      if (job.published() > 0 || job.tokens() > 0) {
        out.append("      published ")
            .append(Show.number(job.published()))
            .append(", tokens ")
            .append(Show.number(job.tokens()))
            .append(", cost ")
            .append(Show.usd(job.costUsd()))
            .append('\n');
      }
      if (job.error() != null) {
        out.append("      error: ").append(job.error()).append('\n');
      }
    }
    for (String warning : warnings()) {
      out.append(Show.colour(terminal, "FAILED", "warning: ")).append(warning).append('\n');
    }
    return out.toString();
  }

  ObjectNode json() {
    ObjectNode root = JSON.createObjectNode();
    root.set("run", runJson(run, now));
    root.put("published", publishedSoFar());
    root.put("tokens", tokensSoFar());
    BigDecimal cost = costSoFar();
    if (cost == null) {
      root.putNull("costUsd");
    } else {
      root.put("costUsd", cost);
    }
    Optional<Duration> eta = runEta();
    if (eta.isPresent()) {
      root.put("etaSeconds", eta.get().toSeconds());
    } else {
      root.putNull("etaSeconds");
    }
    ArrayNode jobsJson = root.putArray("jobs");
    for (JobView job : jobs) {
      ObjectNode j = jobsJson.addObject();
      j.put("jobId", job.id());
      j.put("shard", job.shard());
      j.put("attempt", job.attempt());
      j.put("state", job.state());
      j.put("vertexName", job.vertexName());
      j.put("rows", job.rows());
      ObjectNode stats = j.putObject("completionStats");
      stats.put("successfulCount", job.successful());
      stats.put("failedCount", job.failedCount());
      stats.put("incompleteCount", job.incomplete());
      j.put("published", job.published());
      j.put("tokens", job.tokens());
      if (job.costUsd() == null) {
        j.putNull("costUsd");
      } else {
        j.put("costUsd", job.costUsd());
      }
      j.put("secondsInState", seconds(job.stateChangedAt()));
      Optional<Duration> jobEta = eta(job);
      if (jobEta.isPresent()) {
        j.put("etaSeconds", jobEta.get().toSeconds());
      } else {
        j.putNull("etaSeconds");
      }
      j.put("error", job.error());
      ArrayNode stuck = j.putArray("stuck");
      job.stuck().forEach(stuck::add);
    }
    ArrayNode warnings = root.putArray("warnings");
    warnings().forEach(warnings::add);
    return root;
  }

  private Long seconds(Instant since) {
    return since == null ? null : Duration.between(since, now).toSeconds();
  }

  static ObjectNode runJson(RunView run, Instant now) {
    ObjectNode r = JSON.createObjectNode();
    r.put("runId", run.id());
    r.put("source", run.source());
    r.put("model", run.model());
    r.put("state", run.state());
    r.put("reason", run.reason());
    r.put("ended", run.ended());
    ObjectNode counts = r.putObject("counts");
    counts.put("rows", run.rows());
    counts.put("valid", run.valid());
    counts.put("invalid", run.invalid());
    counts.put("succeeded", run.succeeded());
    counts.put("failed", run.failed());
    counts.put("missing", run.missing());
    if (run.costUsd() == null) {
      r.putNull("costUsd");
    } else {
      r.put("costUsd", run.costUsd());
    }
    r.put("createdAt", run.createdAt() == null ? null : run.createdAt().toString());
    r.put(
        "ageSeconds",
        run.createdAt() == null ? null : Duration.between(run.createdAt(), now).toSeconds());
    r.put(
        "cancelRequestedAt",
        run.cancelRequestedAt() == null ? null : run.cancelRequestedAt().toString());
    r.put("reportUri", run.reportUri());
    return r;
  }
}
