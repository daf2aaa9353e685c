package io.batchdrop.publish;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the run report page shows, gathered from the closed run's document, its {@code
 * run.completed} event and its job documents; plain values only, so the page can be rendered (and
 * tested) without Firestore.
 *
 * @param counts rows, valid, invalid, succeeded, failed, missing, warnings
 * @param tokens prompt, cached, candidates, thoughts, toolUse, total; empty when unknown
 * @param cost inputUsd, cachedInputUsd, outputUsd, totalUsd as decimal strings; null when the model
 *     has no price
 * @param jobs in shard and attempt order, at most {@link #MAX_JOBS}
 * @param jobsLeftOut jobs not in {@code jobs}
 * @param errors error classes, most rows first
 */
record RunReport(
    String runId,
    String state,
    String reason,
    String problem,
    String model,
    String sourceUri,
    Instant createdAt,
    Instant completedAt,
    Map<String, Long> counts,
    Map<String, Long> tokens,
    Map<String, Object> cost,
    List<Job> jobs,
    int jobsLeftOut,
    List<ErrorClass> errors,
    String invalidUri,
    String reportUri) {

  static final int MAX_JOBS = 100;
  static final int MAX_ERROR_CLASSES = 12;

  /** One job attempt, as its document records it. */
  record Job(
      String jobId,
      int shard,
      int attempt,
      String state,
      long rows,
      Instant created,
      Instant started,
      Instant ended,
      String vertexName,
      String inputUri,
      String outputDirectory,
      long succeeded,
      long failed,
      long missing,
      long retried) {}

  /**
   * Rows that ended with one error, with the first few as examples.
   *
   * @param outcome the rows' status: failed, missing or invalid
   * @param sampled true when {@code count} counts only a sample (invalid rows: the run document's
   *     first findings), not every row
   */
  record ErrorClass(
      String name,
      String outcome,
      long count,
      boolean sampled,
      List<ErrorSamples.Example> examples) {}

  static RunReport of(
      RunId runId,
      DocumentSnapshot run,
      RunCompleted event,
      Iterable<? extends DocumentSnapshot> jobDocs,
      WorkLayout layout) {
    List<Job> jobs = new ArrayList<>();
    Map<String, ErrorClass> errors = new LinkedHashMap<>();
    for (DocumentSnapshot doc : jobDocs) {
      jobs.add(job(doc));
      for (ErrorSamples.ErrorClass c :
          ErrorSamples.fromFirestore(doc.get(Progress.PREFIX + ErrorSamples.FIELD)).classes()) {
        String outcome =
            "missing".equals(c.name()) || "cancelled".equals(c.name()) ? "missing" : "failed";
        merge(errors, new ErrorClass(c.name(), outcome, c.count(), false, c.examples()));
      }
    }
    invalidFindings(run).forEach(c -> merge(errors, c));
    jobs.sort(Comparator.comparingInt(Job::shard).thenComparingInt(Job::attempt));
    int leftOut = Math.max(0, jobs.size() - MAX_JOBS);
    List<ErrorClass> classes = new ArrayList<>(errors.values());
    classes.sort(Comparator.comparingLong(ErrorClass::count).reversed());
    return new RunReport(
        runId.value(),
        event.state(),
        event.reason(),
        event.problem(),
        FieldTypes.string(run, RunDoc.MODEL),
        FieldTypes.string(run, RunDoc.SOURCE + ".uri"),
        instant(FieldTypes.timestamp(run, RunDoc.CREATED_AT)),
        instant(FieldTypes.timestamp(run, RunDoc.COMPLETED_AT)),
        event.counts() == null ? Map.of() : event.counts(),
        event.tokens() == null ? Map.of() : event.tokens(),
        event.cost(),
        List.copyOf(jobs.subList(0, jobs.size() - leftOut)),
        leftOut,
        List.copyOf(classes.subList(0, Math.min(classes.size(), MAX_ERROR_CLASSES))),
        FieldTypes.string(run, RunDoc.INVALID_URI),
        layout.uri(layout.reportObject(runId)));
  }

  private static void merge(Map<String, ErrorClass> errors, ErrorClass c) {
    String id = c.outcome() + "/" + c.name();
    ErrorClass known = errors.get(id);
    if (known == null) {
      errors.put(id, c);
      return;
    }
    List<ErrorSamples.Example> examples = new ArrayList<>(known.examples());
    for (ErrorSamples.Example e : c.examples()) {
      if (examples.size() < ErrorSamples.EXAMPLES_PER_CLASS) {
        examples.add(e);
      }
    }
    errors.put(
        id,
        new ErrorClass(
            c.name(),
            c.outcome(),
            known.count() + c.count(),
            known.sampled() || c.sampled(),
            examples));
  }

  /** The run document's first findings (error severity) by code: a sample of the invalid rows. */
  private static List<ErrorClass> invalidFindings(DocumentSnapshot run) {
    Map<String, ErrorClass> byCode = new LinkedHashMap<>();
    if (!(run.get(RunDoc.FIRST_ERRORS) instanceof List<?> findings)) {
      return List.of();
    }
    for (Object item : findings) {
      if (!(item instanceof Map<?, ?> f)
          || !(f.get("code") instanceof String code)
          || !"error".equals(f.get("severity"))) {
        continue;
      }
      long line = f.get("line") instanceof Number n ? n.longValue() : 0;
      String message = f.get("message") instanceof String m ? m : "";
      ErrorSamples.Example example =
          new ErrorSamples.Example(
              line, null, ErrorSamples.cut(message, ErrorSamples.MAX_MESSAGE_CHARS));
      merge(
          byCode,
          new ErrorClass(
              ErrorSamples.cut(code, ErrorSamples.MAX_KEY_CHARS),
              "invalid",
              1,
              true,
              List.of(example)));
    }
    return List.copyOf(byCode.values());
  }

  /** The fields of a job document {@link #job} and the error classes read: all the page needs. */
  static final String[] JOB_FIELDS = {
    JobDoc.VERTEX_CREATE_TIME,
    JobDoc.CREATE_REQUESTED_AT,
    JobDoc.OUTPUT_DIRECTORY,
    JobDoc.STATE,
    JobDoc.ROWS,
    JobDoc.VERTEX_START_TIME,
    JobDoc.VERTEX_END_TIME,
    JobDoc.VERTEX_NAME,
    JobDoc.INPUT_URI,
    JobDoc.OUTPUT_URI_PREFIX,
    Progress.PREFIX + "counts",
    Progress.PREFIX + ErrorSamples.FIELD
  };

  /** A job's line; a field of the wrong type is shown as no value, as publish closed it. */
  private static Job job(DocumentSnapshot doc) {
    JobId id = JobId.parse(doc.getId());
    Timestamp created = FieldTypes.timestamp(doc, JobDoc.VERTEX_CREATE_TIME);
    if (created == null) {
      created = FieldTypes.timestamp(doc, JobDoc.CREATE_REQUESTED_AT);
    }
    String output = FieldTypes.string(doc, JobDoc.OUTPUT_DIRECTORY);
    return new Job(
        id.value(),
        id.shard(),
        id.attempt(),
        FieldTypes.string(doc, JobDoc.STATE),
        FieldTypes.number(doc, JobDoc.ROWS),
        instant(created),
        instant(FieldTypes.timestamp(doc, JobDoc.VERTEX_START_TIME)),
        instant(FieldTypes.timestamp(doc, JobDoc.VERTEX_END_TIME)),
        FieldTypes.string(doc, JobDoc.VERTEX_NAME),
        FieldTypes.string(doc, JobDoc.INPUT_URI),
        output != null && !output.isEmpty()
            ? output
            : FieldTypes.string(doc, JobDoc.OUTPUT_URI_PREFIX),
        FieldTypes.number(doc, Progress.PREFIX + "counts.succeeded"),
        FieldTypes.number(doc, Progress.PREFIX + "counts.failed"),
        FieldTypes.number(doc, Progress.PREFIX + "counts.missing"),
        FieldTypes.number(doc, Progress.PREFIX + "counts.retried"));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : Timestamps.toInstant(t);
  }

  long count(String kind) {
    Long value = counts.get(kind);
    return value == null ? 0 : value;
  }
}
