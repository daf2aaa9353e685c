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

/** The page publish writes from the job documents in Firestore, for a run of many attempts. */
@LocalCloudTest
class RunReportWriterTest {
  @Fixture private PublishFixture fx;

  @Test
  void aRunOfMoreThanAThousandAttemptsIsReportedWithEveryAttemptCountedAndEveryFailedRow(
      LocalCloud cloud) throws Exception {
    // 1,200 one-row shards, each row failed with the same error: more attempts than the page
    // shows, and than publish read before.
    RunId runId = new RunId("0123456789abcdef0123");
    int shards = 1_200;
    Firestore firestore = cloud.firestore();
    firestore
        .collection(RunDoc.COLLECTION)
        .document(runId.value())
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
    WriteBatch batch = firestore.batch();
    for (int shard = 1; shard <= shards; shard++) {
      JobId job = new JobId(runId, shard, 1);
      batch.set(
          firestore.collection(JobDoc.COLLECTION).document(job.value()),
          Map.of(
              JobDoc.RUN_ID,
              runId.value(),
              JobDoc.STATE,
              "JOB_STATE_SUCCEEDED",
              JobDoc.ROWS,
              1L,
              "publish",
              Map.of(
                  "counts",
                  Map.of("failed", 1L),
                  ErrorSamples.FIELD,
                  List.of(
                      Map.of(
                          "class",
                          "400 INVALID_ARGUMENT",
                          "count",
                          1L,
                          "examples",
                          List.of(Map.of("row", (long) shard, "message", "a bad request")))))));
      if (shard % 400 == 0) {
        batch.commit().get();
        batch = firestore.batch();
      }
    }
    DocumentSnapshot run =
        firestore.collection(RunDoc.COLLECTION).document(runId.value()).get().get();
    WorkLayout layout = new WorkLayout(LocalDeployment.WORK);
    RunCompleted event =
        new RunCompleted(
            runId.value(),
            "FAILED",
            null,
            Map.of("rows", (long) shards, "failed", (long) shards),
            Map.of(),
            null,
            layout.uri(layout.reportObject(runId)),
            null);

    new RunReportWriter(firestore, cloud.storage(), layout).write(runId, run, event);

    String page =
        new String(
            cloud.storage().get(LocalDeployment.WORK, layout.reportHtmlObject(runId)).getContent(),
            StandardCharsets.UTF_8);
    assertThat(page)
        .contains("Jobs <span class=\"sub\">1,200 attempts</span>")
        .contains("1,100 more attempts are not shown")
        .contains("<span class=\"count\">1,200 rows</span>");
  }
}
