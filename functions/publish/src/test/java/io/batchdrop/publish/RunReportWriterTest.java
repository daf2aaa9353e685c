package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.WriteBatch;
import io.batchdrop.cloud.events.RunCompleted;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The page publish writes from the job documents in Firestore. */
@LocalCloudTest
class RunReportWriterTest {
  private static final RunId RUN = new RunId("0123456789abcdef0123");
  private static final WorkLayout LAYOUT = new WorkLayout(LocalDeployment.WORK);

  @Fixture private PublishFixture fx;

  @Test
  void aRunOfMoreThanAThousandAttemptsIsReportedWithEveryAttemptCountedAndEveryFailedRow(
      LocalCloud cloud) throws Exception {
    // 1,200 one-row shards, each row failed with the same error: more attempts than the page
    // shows, and than publish read before.
    int shards = 1_200;
    ErrorSamples oneFailed = new ErrorSamples();
    oneFailed.add("400 INVALID_ARGUMENT", 1, "row-1", "a bad request");
    DocumentSnapshot run = closedRun(cloud.firestore(), shards, oneFailed.toFirestore());

    String page = writeReport(cloud, run, shards);

    assertThat(page)
        .contains("Jobs <span class=\"sub\">1,200 attempts</span>")
        .contains("1,100 more attempts are not shown")
        .contains("<span class=\"count\">1,200 rows</span>");
  }

  @Test
  void aJobWhoseErrorExamplesFilledTheirByteBudgetStillGetsItsPageWithEveryClass(LocalCloud cloud)
      throws Exception {
    // Long keys and messages: the 16 KiB of examples are spent before the last classes' first
    // example, so those are stored with no examples at all.
    ErrorSamples samples = new ErrorSamples();
    for (int c = 1; c <= ErrorSamples.MAX_CLASSES; c++) {
      for (int row = 1; row <= 5; row++) {
        samples.add("class-" + c, row, "k".repeat(80), "m".repeat(300));
      }
    }
    List<Map<String, Object>> stored = samples.toFirestore();
    assertThat(stored.get(stored.size() - 1).get("examples")).isEqualTo(List.of());
    DocumentSnapshot run = closedRun(cloud.firestore(), 1, stored);

    String page = writeReport(cloud, run, 5 * ErrorSamples.MAX_CLASSES);

    assertThat(page).as("publish wrote report.html").isNotNull();
    for (int c = 1; c <= ErrorSamples.MAX_CLASSES; c++) {
      assertThat(page).contains("<code class=\"cls\">class-" + c + "</code>");
    }
  }

  /** The run document and {@code shards} one-attempt jobs, each with {@code errors}. */
  private static DocumentSnapshot closedRun(
      Firestore firestore, int shards, List<Map<String, Object>> errors) throws Exception {
    firestore
        .collection(RunDoc.COLLECTION)
        .document(RUN.value())
        .set(
            Map.of(
                RunDoc.MODEL,
                "gemini-2.5-flash",
                RunDoc.SOURCE,
                Map.of("uri", "gs://inbox/many.jsonl"),
                RunDoc.CREATED_AT,
                Timestamp.now(),
                RunDoc.COMPLETED_AT,
                Timestamp.now()))
        .get();
    long failed = errors.stream().mapToLong(e -> ((Number) e.get("count")).longValue()).sum();
    WriteBatch batch = firestore.batch();
    for (int shard = 1; shard <= shards; shard++) {
      JobId job = new JobId(RUN, shard, 1);
      batch.set(
          firestore.collection(JobDoc.COLLECTION).document(job.value()),
          Map.of(
              JobDoc.RUN_ID,
              RUN.value(),
              JobDoc.STATE,
              "JOB_STATE_SUCCEEDED",
              JobDoc.ROWS,
              failed,
              "publish",
              Map.of("counts", Map.of("failed", failed), ErrorSamples.FIELD, errors)));
      if (shard % 400 == 0) {
        batch.commit().get();
        batch = firestore.batch();
      }
    }
    batch.commit().get();
    return firestore.collection(RunDoc.COLLECTION).document(RUN.value()).get().get();
  }

  /** Writes the page as a run of {@code rows} failed rows closes, and reads it back. */
  private static String writeReport(LocalCloud cloud, DocumentSnapshot run, long rows)
      throws Exception {
    RunCompleted event =
        new RunCompleted(
            RUN.value(),
            "FAILED",
            null,
            Map.of("rows", rows, "failed", rows),
            Map.of(),
            null,
            LAYOUT.uri(LAYOUT.reportObject(RUN)),
            null);
    new RunReportWriter(cloud.firestore(), cloud.storage(), LAYOUT).write(RUN, run, event);
    var blob = cloud.storage().get(LocalDeployment.WORK, LAYOUT.reportHtmlObject(RUN));
    return blob == null ? null : new String(blob.getContent(), StandardCharsets.UTF_8);
  }
}
