package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.ConfigException;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code batchdrop cancel RUN}: records {@code cancelRequestedAt} on the run first (so publish
 * retries nothing and a job created meanwhile is not retried either), then cancels every job that
 * is still active through the JobService. Rows already finished are still published; the others
 * come out {@code missing} with error code {@code cancelled}, and publish ends the run {@code
 * CANCELLED}. Running it again does nothing new.
 */
@Command(
    name = "cancel",
    synopsisHeading = "usage: ",
    customSynopsis = "batchdrop cancel RUN [--json]",
    description =
        "Cancel every active job of a run; finished rows are still published, the rest come out"
            + " missing (cancelled).",
    footerHeading = "%n",
    footer = {
      Deployment.ENVIRONMENT_HELP,
      "Exit codes: 0 cancelled (or nothing left to cancel), 1 no such run or its document has a"
          + " field of the wrong type, 2 usage errors, the"
          + " deployment could not be reached, or a job could not be cancelled (the others are)."
    })
final class CancelCommand extends RunCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  CancelCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    RunStore store = new RunStore(clients.firestore());
    DocumentSnapshot doc = store.requireRun(run);
    RunView view = RunView.of(doc);
    ObjectNode result = JSON.createObjectNode().put("runId", run.value());
    ArrayNode jobsOut = result.putArray("jobs");
    if (view.ended()) {
      result.put("state", view.state()).put("cancelRequested", false);
      say(result, "run " + run + " already ended " + view.state() + "; nothing to cancel");
      return Main.EXIT_OK;
    }
    boolean first = view.cancelRequestedAt() == null;
    if (first) {
      DocumentReference ref = doc.getReference();
      // Only where it is still unset: a second cancel keeps the first request's time.
      store.await(
          clients
              .firestore()
              .runTransaction(
                  tx -> {
                    DocumentSnapshot current = tx.get(ref).get();
                    if (current.get(RunDoc.CANCEL_REQUESTED_AT) == null) {
                      tx.update(ref, RunDoc.CANCEL_REQUESTED_AT, Timestamps.of(Instant.now()));
                    }
                    return null;
                  }),
          "the cancel request of run " + run);
    }
    result.put("cancelRequested", true).put("alreadyRequested", !first);
    StringBuilder text =
        new StringBuilder(
            first
                ? "cancel requested for run " + run
                : "cancel was already requested for run " + run);
    List<DocumentSnapshot> jobs = store.jobs(run);
    List<String> refused = new ArrayList<>();
    for (DocumentSnapshot job : jobs) {
      JobView j = JobView.of(job);
      String outcome;
      try {
        outcome = cancelJob(clients, job, j);
      } catch (OpsException | ConfigException e) {
        // One job that cannot be cancelled from here leaves the others to be cancelled all the
        // same.
        refused.add(e.getMessage());
        outcome = "not cancelled: " + e.getMessage();
      }
      jobsOut.addObject().put("jobId", j.id()).put("state", j.state()).put("outcome", outcome);
      text.append("\n  job ")
          .append(j.id())
          .append("  ")
          .append(j.state())
          .append("  ")
          .append(outcome);
    }
    say(result, text.toString());
    if (!refused.isEmpty()) {
      io.err()
          .println(
              "batchdrop: "
                  + refused.size()
                  + " of "
                  + jobs.size()
                  + (jobs.size() == 1 ? " job" : " jobs")
                  + " could not be cancelled: "
                  + refused.get(0));
      return Main.EXIT_USAGE;
    }
    return Main.EXIT_OK;
  }

  private String cancelJob(CloudClients clients, DocumentSnapshot job, JobView j)
      throws OpsException {
    if (j.terminal()) {
      return "already ended";
    }
    if (j.vertexName() == null || j.vertexName().isEmpty()) {
      return "not created yet: its rows are not retried (the run's cancel request)";
    }
    // The job's own backend: a Gemini API batch is no Vertex job (poll's cancels do the same).
    String backend = job.getString(JobDoc.BACKEND);
    String service = Backends.GEMINI_API.equals(backend) ? "the Gemini API" : "Vertex";
    if (backend != null && !clients.config().backends().isAllowed(backend)) {
      throw new OpsException(
          "job "
              + j.id()
              + " is a "
              + backend
              + " batch, a backend these settings do not allow; set BATCHDROP_ALLOWED_BACKENDS"
              + " (and, for gemini-api, BATCHDROP_GEMINI_API_KEY_SECRET or GEMINI_API_KEY) as the"
              + " deployment's functions have them, and cancel again");
    }
    try {
      clients.backends().get(backend).cancel(j.vertexName());
    } catch (ApiException e) {
      StatusCode.Code code = e.getStatusCode().getCode();
      if (code == StatusCode.Code.FAILED_PRECONDITION) {
        return "already ending at " + service;
      }
      if (code == StatusCode.Code.NOT_FOUND) {
        return "not found at " + service + "; poll takes it as lost";
      }
      throw new OpsException("cannot cancel job " + j.id() + ": " + Errors.describe(e));
    }
    new RunStore(clients.firestore())
        .await(
            job.getReference().update(JobDoc.CANCEL_REQUESTED_AT, Timestamps.of(Instant.now())),
            "the cancel request of job " + j.id());
    return "cancel sent";
  }

  private void say(ObjectNode json, String text) {
    io.out().println(this.json ? json.toString() : text);
  }
}
