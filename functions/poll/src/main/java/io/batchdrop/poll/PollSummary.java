package io.batchdrop.poll;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of one call: jobs polled (a Vertex get or a recovery was attempted), changed (a
 * recorded field moved), completed (became terminal and was handed off), recovered (left {@code
 * CREATING}), handoffs resent, errors, jobs left for the next call, events sent from earlier calls'
 * outboxes, stalled runs reported or ended, slices published for parallel calls (a crowded tick's
 * Scheduler call polls no job itself), and the wall time.
 */
record PollSummary(
    int polled,
    int changed,
    int completed,
    int recovered,
    int resent,
    int errors,
    int left,
    int eventsSent,
    int runsStalled,
    int slices,
    long tookMillis) {

  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("polled", polled);
    json.put("changed", changed);
    json.put("completed", completed);
    json.put("recovered", recovered);
    json.put("resent", resent);
    json.put("errors", errors);
    json.put("left", left);
    json.put("events_sent", eventsSent);
    json.put("runs_stalled", runsStalled);
    json.put("slices", slices);
    json.put("took_ms", tookMillis);
    return json;
  }
}
