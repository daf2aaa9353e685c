package io.batchdrop.publish;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes {@code runs/{runId}/report.html} beside {@code report.json} when a run closes. Reading the
 * jobs and uploading the page fail the invocation like every other Firestore or Cloud Storage call
 * (the redelivery writes it again); a page that cannot be rendered is logged and left out, since a
 * retry would render it the same way and the run's messages matter more than its page.
 */
final class RunReportWriter {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");

  /** More job documents than a run can have (shards × attempts) is not read. */
  static final int MAX_JOB_DOCS = 1000;

  private final Firestore firestore;
  private final Storage storage;
  private final WorkLayout layout;

  RunReportWriter(Firestore firestore, Storage storage, WorkLayout layout) {
    this.firestore = firestore;
    this.storage = storage;
    this.layout = layout;
  }

  void write(RunId runId, DocumentSnapshot run, RunCompleted event)
      throws InterruptedException, ExecutionException {
    List<QueryDocumentSnapshot> jobs;
    try {
      jobs =
          firestore
              .collection(JobDoc.COLLECTION)
              .whereEqualTo(JobDoc.RUN_ID, runId.value())
              .limit(MAX_JOB_DOCS)
              .get()
              .get(60, TimeUnit.SECONDS)
              .getDocuments();
    } catch (TimeoutException e) {
      throw new ExecutionException("Firestore did not list the run's jobs within 60 s", e);
    }
    String page;
    try {
      page = RunReportPage.render(RunReport.of(runId, run, event, jobs, layout));
    } catch (RuntimeException e) {
      LOG.error()
          .run(runId)
          .with("problem", String.valueOf(e))
          .log("the run report page could not be rendered; report.json is still written");
      return;
    }
    storage.create(
        BlobInfo.newBuilder(layout.workBucket(), layout.reportHtmlObject(runId))
            .setContentType("text/html; charset=utf-8")
            .build(),
        page.getBytes(StandardCharsets.UTF_8));
  }
}
