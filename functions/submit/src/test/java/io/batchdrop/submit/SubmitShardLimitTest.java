package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.WORK;
import static io.batchdrop.submit.SubmitFixture.finalized;
import static io.batchdrop.submit.SubmitFixture.json;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.staging.RunShardBudget;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A file that would need more batch jobs than one run document can record. */
@LocalCloudTest
class SubmitShardLimitTest {
  @Fixture private SubmitFixture fx;

  @Test
  void aFileNeedingMoreJobsThanARunDocumentHoldsIsRejectedBeforeAnyJobSayingHowManyItMayHave(
      LocalCloud cloud) throws Exception {
    // One row a shard stands in for a file of sparse rows (one every 2,000,000 lines, blank or
    // invalid ones between): 11,000 shards' entries pass Firestore's 1 MiB run document.
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "1"));
    Blob blob = fx.upload("incoming/sparse.jsonl", lines(11_000));

    fx.function().accept(finalized(blob));

    DocumentSnapshot run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("REJECTED");
    assertThat(run.getString("reason"))
        .startsWith(
            "the file needs more than 2,126 batch jobs; expected at most 2,126, the shards one run"
                + " records within Firestore's 1 MiB run document: reading stopped at line 2,127,")
        .contains("split the file");
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
    assertThat(fx.jobsOf(blob)).isEmpty();
    assertThat(fx.eventTypes(1)).containsExactly("run.rejected");
    JsonNode report = json(fx.readWork("runs/" + runId(blob).value() + "/report.json"));
    assertThat(report.path("reason").asText()).isEqualTo(run.getString("reason"));
    assertThat(report.at("/counts/rows").asLong()).isZero();
    assertThat(
            cloud
                .storage()
                .list(
                    WORK, Storage.BlobListOption.prefix("runs/" + runId(blob).value() + "/input/"))
                .iterateAll())
        .isEmpty();
  }

  @Test
  void aRunDocumentOfTheMostShardsEachRetriedToTheLastAttemptIsWrittenByFirestore(LocalCloud cloud)
      throws Exception {
    // The run document at its largest by RunShardBudget: every shard's entry and ten job ids of
    // the longest shard number, and its other fields at their bounds: 64 KiB of first findings,
    // a source name and URI of 1 KiB each.
    String runId = "0123456789abcdef0123";
    List<Map<String, Object>> shards = new ArrayList<>();
    List<String> jobIds = new ArrayList<>();
    for (int shard = 1; shard <= RunShardBudget.MAX_SHARDS; shard++) {
      shards.add(
          new StagedShard(shard, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE)
              .toMap());
      for (int attempt = 1; attempt <= RunShardBudget.MAX_ATTEMPTS_PER_SHARD; attempt++) {
        jobIds.add(runId + "-s" + shard + "-a" + attempt);
      }
    }
    Map<String, Object> run = new HashMap<>();
    run.put(RunDoc.SHARDS, shards);
    run.put(RunDoc.JOB_IDS, jobIds);
    run.put(RunDoc.FIRST_ERRORS, List.of(Map.of("message", "x".repeat(64 * 1024))));
    run.put(RunDoc.SOURCE, Map.of("name", "n".repeat(1024), "uri", "u".repeat(1024)));

    cloud.firestore().collection(RunDoc.COLLECTION).document(runId).create(run).get();

    DocumentSnapshot written =
        cloud.firestore().collection(RunDoc.COLLECTION).document(runId).get().get();
    assertThat((List<?>) written.get(RunDoc.JOB_IDS))
        .hasSize(RunShardBudget.MAX_SHARDS * RunShardBudget.MAX_ATTEMPTS_PER_SHARD);
  }
}
