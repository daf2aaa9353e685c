package io.batchdrop.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.events.EventPublisher;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.PriceTable;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Closes a run once the last attempt of every shard is published: in one transaction over the run
 * and all its jobs (so two jobs closing at once see each other), the final counts ({@code succeeded
 * + failed + invalid + missing = rows}, checked), tokens, cost and state, and which job closed it;
 * then that job's invocation alone writes {@code report.json} and sends {@code run.completed},
 * noted as sent. A crash before the note leaves the closing job unpublished, so its redelivery
 * comes back here and sends what was left unsent; any other job's call changes nothing.
 */
final class RunCloser {
  /** Why some rows of the closed run lack their one outcome, or a field it could not read. */
  static final String PROBLEM = "problem";

  private static final StructuredLog LOG = StructuredLog.forComponent("publish");
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Firestore firestore;
  private final Storage storage;
  private final WorkLayout layout;
  private final EventPublisher events;
  private final Clock clock;
  private final PriceTable prices;

  RunCloser(
      Firestore firestore,
      Storage storage,
      WorkLayout layout,
      EventPublisher events,
      Clock clock,
      PriceTable prices) {
    this.firestore = firestore;
    this.storage = storage;
    this.layout = layout;
    this.events = events;
    this.clock = clock;
    this.prices = prices;
  }

  /** A run whose rows are being published says so, once any job is taken. */
  void markPublishing(RunId runId) throws InterruptedException, ExecutionException {
    DocumentReference run = firestore.collection(RunDoc.COLLECTION).document(runId.value());
    firestore
        .runTransaction(
            tx -> {
              DocumentSnapshot current = tx.get(run).get();
              String state = FieldTypes.string(current, RunDoc.STATE);
              if (RunState.SUBMITTED.name().equals(state)
                  || RunState.RUNNING.name().equals(state)) {
                tx.update(
                    run,
                    RunDoc.STATE,
                    RunState.PUBLISHING.name(),
                    RunDoc.UPDATED_AT,
                    Timestamps.of(clock.instant()));
              }
              return null;
            })
        .get();
  }

  /**
   * What closing reads of each job document, and no more: every job's publish checkpoint holds
   * bitsets over its rows (up to 250 KB each at the widest span) and error examples, and a run may
   * have thousands of job documents, read in one transaction at the end of every job's publish.
   */
  private static final String[] CLOSE_FIELDS = {
    JobDoc.STATE,
    Progress.PREFIX + "phase",
    Progress.PREFIX + "next",
    Progress.PREFIX + "problem",
    Progress.PREFIX + "counts",
    Progress.PREFIX + "unpriced",
    Progress.PREFIX + "tokens",
    Progress.PREFIX + "cost",
  };

  /**
   * Closes the run if every shard's last attempt is published, with {@code closing} (the job being
   * published, whose checkpoint already says so) as the closer; true when it is closed now.
   */
  boolean closeIfDone(JobId closing) throws InterruptedException, ExecutionException {
    RunId runId = closing.run();
    DocumentReference run = firestore.collection(RunDoc.COLLECTION).document(runId.value());
    // The jobs are read before the transaction, not in it: in it, every close held a lock on every
    // job document of the run until its commit, against the lease heartbeats and checkpoints of
    // the run's other publishes, and with all of a large run's jobs closing at once, each aborted
    // one redelivered, that was a livelock that left the run PUBLISHING (the fault run). Reading
    // outside loses nothing: each job commits its CLOSING checkpoint before it reads here, so of
    // two jobs closing at once the later reader sees both, and only the transaction on the run
    // document decides who closes it.
    List<QueryDocumentSnapshot> jobs;
    try {
      jobs =
          firestore
              .collection(JobDoc.COLLECTION)
              .whereEqualTo(JobDoc.RUN_ID, runId.value())
              .select(CLOSE_FIELDS)
              .get()
              .get(60, TimeUnit.SECONDS)
              .getDocuments();
    } catch (TimeoutException e) {
      throw new ExecutionException("Firestore did not list the run's jobs within 60 s", e);
    }
    Optional<Map<String, Object>> closed =
        firestore
            .runTransaction(
                tx -> {
                  DocumentSnapshot current = tx.get(run).get();
                  if (!current.exists() || Boolean.TRUE.equals(current.get(RunDoc.CLOSED))) {
                    return Optional.<Map<String, Object>>empty();
                  }
                  Optional<Map<String, Object>> fields = finalFields(current, jobs, closing);
                  fields.ifPresent(f -> tx.update(run, f));
                  return fields;
                })
            .get();
    if (closed.isPresent()) {
      LOG.info().run(runId).with("state", closed.get().get(RunDoc.STATE)).log("run closed");
    }
    announceIfUnsent(closing);
    return closed.isPresent();
  }

  /** The run's closing fields, or empty while a shard's last attempt is not yet published. */
  private Optional<Map<String, Object>> finalFields(
      DocumentSnapshot run, List<QueryDocumentSnapshot> jobs, JobId closing) {
    Map<Integer, QueryDocumentSnapshot> last = new TreeMap<>();
    for (QueryDocumentSnapshot job : jobs) {
      JobId id = JobId.parse(job.getId());
      QueryDocumentSnapshot known = last.get(id.shard());
      if (known == null || JobId.parse(known.getId()).attempt() < id.attempt()) {
        last.put(id.shard(), job);
      }
    }
    Object shards = run.get(RunDoc.SHARDS);
    int expected = shards instanceof List<?> list ? list.size() : 0;
    if (last.size() < expected) {
      return Optional.empty();
    }
    for (QueryDocumentSnapshot job : last.values()) {
      boolean finished =
          Progress.Phase.CLOSING.name().equals(FieldTypes.string(job, Progress.PREFIX + "phase"))
              // A next of the wrong type names no attempt: publish closed that job with it.
              && FieldTypes.string(job, Progress.PREFIX + "next") == null;
      if (!finished) {
        return Optional.empty();
      }
    }
    long succeeded = 0;
    long failed = 0;
    long missing = 0;
    long unpriced = 0;
    boolean cancelled = run.get(RunDoc.CANCEL_REQUESTED_AT) != null;
    Map<String, Long> tokens = new LinkedHashMap<>();
    BigDecimal[] cost = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    List<String> problems = new java.util.ArrayList<>();
    for (QueryDocumentSnapshot job : jobs) {
      String jobProblem = FieldTypes.string(job, Progress.PREFIX + "problem");
      if (jobProblem != null) {
        problems.add(jobProblem);
      }
      succeeded += number(job, "counts.succeeded");
      failed += number(job, "counts.failed");
      missing += number(job, "counts.missing");
      unpriced += number(job, "unpriced");
      for (String kind :
          List.of("prompt", "cached", "candidates", "thoughts", "toolUse", "total")) {
        tokens.merge(kind, number(job, "tokens." + kind), Long::sum);
      }
      String[] kinds = {"inputUsd", "cachedInputUsd", "outputUsd", "totalUsd"};
      for (int i = 0; i < kinds.length; i++) {
        cost[i] = cost[i].add(decimal(job, Progress.PREFIX + "cost." + kinds[i]));
      }
      cancelled |= FinishedJob.CANCELLED.equals(FieldTypes.string(job, JobDoc.STATE));
    }
    // A run field of the wrong type is read as no value, and the close says which it was.
    RunFields.problem(run).ifPresent(p -> problems.add("the run document: " + p));
    long invalid = FieldTypes.number(run, RunDoc.COUNTS + ".invalid");
    long rows = FieldTypes.number(run, RunDoc.COUNTS + ".rows");
    String previous = FieldTypes.string(run, RunDoc.STATE);
    RunState state;
    if (RunState.FAILED.name().equals(previous)) {
      state = RunState.FAILED; // submit failed it; its rows now have their messages
    } else if (cancelled) {
      state = RunState.CANCELLED;
    } else if (succeeded == rows) {
      state = RunState.SUCCEEDED;
    } else if (succeeded == 0) {
      state = RunState.FAILED;
    } else {
      state = RunState.PARTIAL;
    }
    Map<String, Object> fields = new HashMap<>();
    fields.put(RunDoc.STATE, state.name());
    fields.put(RunDoc.COUNTS + ".succeeded", succeeded);
    fields.put(RunDoc.COUNTS + ".failed", failed);
    fields.put(RunDoc.COUNTS + ".missing", missing);
    fields.put(RunDoc.TOKENS, tokens);
    // No price for the model: no cost, even when no row carried usage to be priced (every row
    // failed, say), where a sum of nothing would read as a price of zero.
    String model = FieldTypes.string(run, RunDoc.MODEL);
    boolean priced = model != null && prices.price(model).isPresent();
    if (unpriced == 0 && priced) {
      Map<String, Object> costs = new LinkedHashMap<>();
      costs.put("inputUsd", cost[0].toPlainString());
      costs.put("cachedInputUsd", cost[1].toPlainString());
      costs.put("outputUsd", cost[2].toPlainString());
      costs.put("totalUsd", cost[3].toPlainString());
      fields.put(RunDoc.COST, costs);
    } else {
      fields.put(RunDoc.COST, null);
    }
    long sum = succeeded + failed + invalid + missing;
    if (sum != rows) {
      problems.add(
          0,
          "succeeded + failed + invalid + missing = "
              + sum
              + ", but the run has "
              + rows
              + " rows");
    }
    if (!problems.isEmpty()) {
      fields.put(PROBLEM, String.join("; ", problems));
    }
    fields.put(RunDoc.CLOSED, true);
    fields.put(RunDoc.CLOSED_BY, closing.value());
    fields.put(RunDoc.COMPLETED_ANNOUNCED, false);
    fields.put(RunDoc.REPORT_URI, layout.uri(layout.reportObject(new RunId(run.getId()))));
    fields.put(RunDoc.COMPLETED_AT, Timestamps.of(clock.instant()));
    fields.put(RunDoc.UPDATED_AT, Timestamps.of(clock.instant()));
    return Optional.of(fields);
  }

  /**
   * Writes the report and sends {@code run.completed} for a run {@code closing} closed that has not
   * had it. Reading the flag and sending are not one transaction, so the sender must be unique: the
   * closer, whose job lease keeps its own deliveries apart.
   */
  private void announceIfUnsent(JobId closing) throws InterruptedException, ExecutionException {
    RunId runId = closing.run();
    DocumentReference ref = firestore.collection(RunDoc.COLLECTION).document(runId.value());
    DocumentSnapshot run = ref.get().get();
    if (!Boolean.TRUE.equals(run.get(RunDoc.CLOSED))
        || !closing.value().equals(run.get(RunDoc.CLOSED_BY))
        || Boolean.TRUE.equals(run.get(RunDoc.COMPLETED_ANNOUNCED))) {
      return;
    }
    RunCompleted event = completed(run);
    if (event.problem() != null) {
      LOG.error()
          .run(runId)
          .with("problem", event.problem())
          .log("the run closed with a problem: some rows lack their one outcome");
    }
    if (event.cost() == null) {
      LOG.warning()
          .run(runId)
          .with("model", FieldTypes.string(run, RunDoc.MODEL))
          .log("no price for the run's model: cost is null, never a guess");
    }
    writeReport(runId, run, event);
    new RunReportWriter(firestore, storage, layout).write(runId, run, event);
    events.publish(event);
    ref.update(RunDoc.COMPLETED_ANNOUNCED, true).get();
  }

  @SuppressWarnings("unchecked")
  private RunCompleted completed(DocumentSnapshot run) {
    Map<String, Long> counts = new LinkedHashMap<>();
    Object stored = run.get(RunDoc.COUNTS);
    if (stored instanceof Map<?, ?> map) {
      for (String kind :
          List.of("rows", "valid", "invalid", "succeeded", "failed", "missing", "warnings")) {
        Object value = map.get(kind);
        counts.put(kind, value instanceof Number n ? n.longValue() : 0L);
      }
    }
    Object tokens = run.get(RunDoc.TOKENS);
    Object cost = run.get(RunDoc.COST);
    return new RunCompleted(
        run.getId(),
        FieldTypes.string(run, RunDoc.STATE),
        FieldTypes.string(run, RunDoc.REASON),
        counts,
        tokens instanceof Map<?, ?> t ? (Map<String, Long>) t : null,
        cost instanceof Map<?, ?> c ? (Map<String, Object>) c : null,
        FieldTypes.string(run, RunDoc.REPORT_URI),
        FieldTypes.string(run, PROBLEM));
  }

  private void writeReport(RunId runId, DocumentSnapshot run, RunCompleted event) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("runId", runId.value());
    report.put("source", run.get(RunDoc.SOURCE));
    report.put("model", FieldTypes.string(run, RunDoc.MODEL));
    report.put("state", event.state());
    report.put("reason", event.reason());
    report.put("counts", event.counts());
    report.put("tokens", event.tokens());
    report.put("cost", event.cost());
    report.put("problem", event.problem());
    report.put("jobIds", run.get(RunDoc.JOB_IDS));
    report.put("invalidUri", FieldTypes.string(run, RunDoc.INVALID_URI));
    report.put("firstErrors", run.get(RunDoc.FIRST_ERRORS));
    try {
      storage.create(
          BlobInfo.newBuilder(layout.workBucket(), layout.reportObject(runId))
              .setContentType("application/json")
              .build(),
          JSON.writeValueAsBytes(report));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a report of plain values always serializes", e);
    }
  }

  /**
   * The job's count; a value of the wrong type counts as none: that job was closed with the problem
   * naming it ({@link JobFields}), and the sum check below says what is missing from the run.
   */
  private static long number(DocumentSnapshot job, String field) {
    return FieldTypes.number(job, Progress.PREFIX + field);
  }

  /** The job's cost, none when it is not a decimal string (see {@link #number}). */
  private static BigDecimal decimal(DocumentSnapshot job, String field) {
    String value = FieldTypes.string(job, field);
    try {
      return value == null ? BigDecimal.ZERO : new BigDecimal(value);
    } catch (NumberFormatException e) {
      return BigDecimal.ZERO;
    }
  }
}
