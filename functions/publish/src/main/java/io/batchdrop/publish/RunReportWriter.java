package io.batchdrop.publish;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * Writes {@code runs/{runId}/report.html} beside {@code report.json} when a run closes. Reading the
 * jobs and uploading the page fail the invocation like every other Firestore or Cloud Storage call
 * (the redelivery writes it again); a page that cannot be rendered is logged and left out, since a
 * retry would render it the same way and the run's messages matter more than its page.
 */
final class RunReportWriter {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");

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
    String page;
    try {
      // Every job of the run, a page at a time: the page counts them all and sums every job's
      // errors, however many attempts the run had.
      page =
          RunReportPage.render(
              RunReport.of(
                  runId,
                  run,
                  event,
                  new RunJobDocuments(firestore, runId, RunReport.JOB_FIELDS),
                  layout));
    } catch (RunJobDocuments.ReadFailed e) {
      if (e.getCause() instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new ExecutionException(e.getMessage(), e.getCause());
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
