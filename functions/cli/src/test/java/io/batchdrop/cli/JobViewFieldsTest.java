package io.batchdrop.cli;

import static io.batchdrop.cli.OpsFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code status} and {@code submit --wait} read only {@link JobView#FIELDS} of each job (its
 * checkpoint's row bitsets can be 250 KB each, a run can have thousands of jobs): the views they
 * show must be the same as from the whole documents.
 */
@LocalCloudTest
class JobViewFieldsTest {
  @Fixture private OpsFixture fx;

  @Test
  void jobViewsFromTheSelectedFieldsEqualThoseFromWholeDocuments(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("views.jsonl", line("a") + line("[vertex:fail-400] b") + line("c"));
    fx.publishUntilClosed(run);
    DocumentSnapshot job = fx.jobs(run).get(0);
    job.getReference()
        .update(
            Map.of(JobDoc.STUCK + ".queued_24h", true, JobDoc.CREATE_ERROR, "refused for the test"))
        .get();
    RunStore store = new RunStore(cloud.firestore());

    List<JobView> whole = store.jobs(run).stream().map(JobView::of).toList();
    List<JobView> selected = store.jobs(run, JobView.FIELDS).stream().map(JobView::of).toList();

    assertThat(selected).isEqualTo(whole);
    assertThat(whole)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.published()).isEqualTo(3);
              assertThat(v.tokens()).isPositive();
              assertThat(v.costUsd()).isNotNull();
              assertThat(v.successful()).isEqualTo(2);
              assertThat(v.stuck()).containsExactly("queued_24h");
              assertThat(v.error()).isEqualTo("refused for the test");
              assertThat(v.createdAt()).isNotNull();
              assertThat(v.stateChangedAt()).isNotNull();
            });
  }
}
