package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.aiplatform.v1.JobState;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every Vertex state as poll records it, and what a finished job sets off. */
@LocalCloudTest
class PollStatesTest {
  @Fixture private PollFixture fx;

  @Test
  void everyNonTerminalStateIsRecordedWithItsNumberAndAnnouncedOnce(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    fx.poll(); // the first answer fills in what submit does not record (times, digest)
    assertThat(fx.events()).isEmpty();

    List<JobState> path =
        List.of(
            JobState.JOB_STATE_QUEUED,
            JobState.JOB_STATE_PENDING,
            JobState.JOB_STATE_RUNNING,
            JobState.JOB_STATE_UPDATING,
            JobState.JOB_STATE_RUNNING,
            JobState.JOB_STATE_PAUSED,
            JobState.JOB_STATE_UNSPECIFIED,
            JobState.JOB_STATE_CANCELLING);
    for (JobState state : path) {
      cloud.vertexEmulator().forceState(job.vertexName(), state);
      pollNow(job);

      assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo(state.name());
      assertThat(fx.job(job.jobId()).getLong(JobDoc.STATE_VALUE)).isEqualTo(state.getNumber());
      assertThat(fx.job(job.jobId()).getBoolean(JobDoc.ACTIVE)).isTrue();
      List<String> events = fx.events();
      assertThat(events).contains("job.state_changed " + state.name() + " " + job.jobId());
    }
    pollNow(job);
    assertThat(fx.events()).as("an unchanged job announces nothing").isEmpty();

    cloud.vertexEmulator().forceStateValue(job.vertexName(), 42);
    pollNow(job);
    assertThat(fx.job(job.jobId()).getLong(JobDoc.STATE_VALUE)).isEqualTo(42);
    assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("UNRECOGNIZED");
    assertThat(fx.job(job.jobId()).getBoolean(JobDoc.ACTIVE)).isTrue();
    assertThat(fx.events())
        .containsExactlyInAnyOrder(
            "job.state_changed UNRECOGNIZED " + job.jobId(), "job.stuck state_42 " + job.jobId());

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> history =
        (List<Map<String, Object>>) fx.job(job.jobId()).get(JobDoc.STATE_HISTORY);
    assertThat(history)
        .extracting(h -> h.get("stateValue"))
        .containsExactly(1L, 2L, 3L, 10L, 3L, 8L, 0L, 6L, 42L);
  }

  @Test
  void everyTerminalStateEndsPollingAndHandsTheJobToPublishOnce(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    List<JobState> endings =
        List.of(
            JobState.JOB_STATE_SUCCEEDED,
            JobState.JOB_STATE_FAILED,
            JobState.JOB_STATE_CANCELLED,
            JobState.JOB_STATE_EXPIRED,
            JobState.JOB_STATE_PARTIALLY_SUCCEEDED);
    List<Tracked> jobs = new ArrayList<>();
    for (int shard = 1; shard <= endings.size(); shard++) {
      Tracked job = fx.submitted(run, shard);
      cloud.vertexEmulator().forceState(job.vertexName(), endings.get(shard - 1));
      jobs.add(job);
    }

    PollSummary first = fx.poll();
    PollSummary second = fx.poll();

    assertThat(first.polled()).isEqualTo(5);
    assertThat(first.completed()).isEqualTo(5);
    assertThat(first.errors()).isZero();
    assertThat(second.polled()).as("finished jobs are no longer polled").isZero();
    for (int i = 0; i < jobs.size(); i++) {
      var doc = fx.job(jobs.get(i).jobId());
      assertThat(doc.getString(JobDoc.STATE)).isEqualTo(endings.get(i).name());
      assertThat(doc.getBoolean(JobDoc.ACTIVE)).isFalse();
      assertThat(doc.get(JobDoc.PUBLISH_DONE)).isEqualTo(false);
      assertThat(doc.getTimestamp(JobDoc.VERTEX_END_TIME)).isNotNull();
    }
    assertThat(fx.job(jobs.get(1).jobId()).get(JobDoc.ERROR + ".code")).isEqualTo(13L);
    assertThat(fx.job(jobs.get(2).jobId()).get(JobDoc.ERROR + ".code")).isEqualTo(1L);

    List<PubsubMessage> handOffs = fx.drain("completions");
    assertThat(handOffs).hasSize(5);
    assertThat(handOffs)
        .extracting(m -> m.getAttributesOrThrow("job_id"))
        .containsExactlyInAnyOrderElementsOf(jobs.stream().map(j -> j.jobId().value()).toList());
    PubsubMessage expired =
        handOffs.stream()
            .filter(m -> m.getAttributesOrThrow("job_id").equals(jobs.get(3).jobId().value()))
            .findFirst()
            .orElseThrow();
    var body = PollFixture.json(expired.getData().toStringUtf8());
    assertThat(body.path("state").asText()).isEqualTo("JOB_STATE_EXPIRED");
    assertThat(body.path("runId").asText()).isEqualTo(run.value());
    assertThat(body.path("vertexName").asText()).isEqualTo(jobs.get(3).vertexName());
    assertThat(fx.events()).filteredOn(e -> e.startsWith("job.state_changed")).hasSize(5);
  }

  @Test
  void aJobThatRanRecordsItsCountsAndOutputDirectoryForPublish(LocalCloud cloud) throws Exception {
    cloud.vertexEmulator().knobs().delays(Duration.ZERO, Duration.ZERO);
    RunId run = fx.run();
    fx.stage(new io.batchdrop.cloud.run.JobId(run, 1, 1), 3);
    Tracked job = fx.submitted(run, 1); // ran to SUCCEEDED inside create

    PollSummary summary = fx.poll();

    assertThat(summary.completed()).isEqualTo(1);
    var doc = fx.job(job.jobId());
    assertThat(doc.get(JobDoc.COMPLETION_STATS))
        .isEqualTo(Map.of("successfulCount", 3L, "failedCount", 0L, "incompleteCount", 0L));
    String outputDirectory = doc.getString(JobDoc.OUTPUT_DIRECTORY);
    assertThat(outputDirectory)
        .startsWith("gs://" + PollFixture.WORK + "/runs/" + run.value() + "/output/");
    assertThat(doc.getTimestamp(JobDoc.VERTEX_START_TIME)).isNotNull();
    var handOff = PollFixture.json(fx.drain("completions").get(0).getData().toStringUtf8());
    assertThat(handOff.path("outputDirectory").asText()).isEqualTo(outputDirectory);
    assertThat(handOff.path("state").asText()).isEqualTo("JOB_STATE_SUCCEEDED");
  }

  /** Makes the job due at once (its schedule may have pushed it out) and runs one call. */
  @Test
  void aJobRecordedWithAnEarlierReleasesDigestIsWrittenOnceSilentlyAndThenNoMore(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    fx.poll();
    fx.events();
    Object history = fx.job(job.jobId()).get(JobDoc.STATE_HISTORY);
    String digest = fx.job(job.jobId()).getString(JobDoc.OBSERVED);
    // What a deploy that changes how answers are digested leaves behind for every job in flight.
    fx.update(job.jobId(), JobDoc.OBSERVED, "00000000000000000000000000000000");

    PollSummary upgraded = pollNow(job);

    assertThat(upgraded.changed()).as("one write for the new digest").isEqualTo(1);
    assertThat(fx.job(job.jobId()).getString(JobDoc.OBSERVED)).isEqualTo(digest);
    assertThat(fx.job(job.jobId()).get(JobDoc.STATE_HISTORY))
        .as("the state did not move")
        .isEqualTo(history);
    assertThat(fx.events()).as("subscribers hear nothing of it").isEmpty();

    fx.update(job.jobId(), JobDoc.NEXT_POLL_AT, com.google.cloud.Timestamp.now());
    com.google.cloud.Timestamp due = fx.job(job.jobId()).getUpdateTime();
    PollSummary unchanged = fx.poll();

    assertThat(unchanged.polled()).isEqualTo(1);
    assertThat(unchanged.changed()).isZero();
    assertThat(fx.job(job.jobId()).getUpdateTime())
        .as("an unchanged job is not written")
        .isEqualTo(due);
    assertThat(fx.events()).isEmpty();
  }

  private PollSummary pollNow(Tracked job) throws Exception {
    fx.update(job.jobId(), JobDoc.NEXT_POLL_AT, com.google.cloud.Timestamp.now());
    return fx.poll();
  }
}
