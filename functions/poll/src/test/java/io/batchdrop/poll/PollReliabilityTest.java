package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.events.EventOutbox;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10: lost jobs, refused gets, the event outbox, adopted jobs, and the run watchdog. */
@LocalCloudTest
class PollReliabilityTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobVertexNoLongerHasIsLostAfterThreeNotFoundPollsAndHandedOff(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().knobs().failNextGets(3, Status.Code.NOT_FOUND);

    fx.poll();
    fx.poll();
    assertThat(fx.job(job.jobId()).getBoolean(JobDoc.ACTIVE)).as("two misses").isTrue();
    PollSummary third = fx.poll();

    assertThat(third.completed()).isEqualTo(1);
    var doc = fx.job(job.jobId());
    assertThat(doc.getString(JobDoc.STATE)).isEqualTo(JobDoc.LOST);
    assertThat(doc.getBoolean(JobDoc.ACTIVE)).isFalse();
    assertThat(doc.getBoolean(JobDoc.PUBLISH_DONE)).isFalse();
    assertThat(fx.events()).containsExactly("job.stuck lost " + job.jobId());
    List<PubsubMessage> handOffs = fx.drain("completions");
    assertThat(handOffs).hasSize(1);
    assertThat(PollFixture.json(handOffs.get(0).getData().toStringUtf8()).path("state").asText())
        .isEqualTo(JobDoc.LOST);
    assertThat(fx.poll().polled()).as("lost is terminal").isZero();
  }

  @Test
  void aNotFoundBetweenAnswersThatFindTheJobDoesNotCountTowardsLost(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().knobs().failNextGets(2, Status.Code.NOT_FOUND);
    fx.poll();
    fx.poll();
    fx.poll(); // found again
    cloud.vertexEmulator().knobs().failNextGets(2, Status.Code.NOT_FOUND);
    fx.dueNow(job);
    fx.poll();
    fx.poll();

    assertThat(fx.job(job.jobId()).getBoolean(JobDoc.ACTIVE)).isTrue();
  }

  @Test
  void aRefusedGetIsReportedOnceAsStuckWithItsReasonAndTheJobStaysActive(LocalCloud cloud)
      throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().knobs().failNextGets(2, Status.Code.PERMISSION_DENIED);

    fx.poll();
    fx.poll();

    List<PubsubMessage> events = fx.drain("events");
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getAttributesOrThrow("type")).isEqualTo("job.stuck");
    assertThat(PollFixture.reason(events.get(0))).contains("PERMISSION_DENIED");
    assertThat(fx.job(job.jobId()).getBoolean(JobDoc.ACTIVE)).isTrue();
  }

  @Test
  void aStateChangeWhoseEventCouldNotBeSentIsSentByALaterCall(LocalCloud cloud) throws Exception {
    Tracked job = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    String topic = "projects/" + cloud.projectId() + "/topics/events";
    cloud
        .subscriptionAdmin()
        .deleteSubscription("projects/" + cloud.projectId() + "/subscriptions/events-sub");
    cloud.topicAdmin().deleteTopic(topic);

    assertThat(fx.poll().changed()).isEqualTo(1);
    assertThat(fx.job(job.jobId()).get(EventOutbox.PENDING)).asList().hasSize(1);

    cloud.createTopic("events");
    cloud.createSubscription("events", "events-sub");
    // As a call a minute later finds it.
    fx.update(job.jobId(), EventOutbox.DUE, Timestamp.ofTimeSecondsAndNanos(1, 0));
    PollSummary later = fx.poll();

    assertThat(later.eventsSent()).isEqualTo(1);
    assertThat(fx.events()).containsExactly("job.state_changed JOB_STATE_RUNNING " + job.jobId());
    assertThat(fx.job(job.jobId()).get(EventOutbox.PENDING)).asList().isEmpty();
    assertThat(fx.job(job.jobId()).get(EventOutbox.DUE)).isNull();
  }

  @Test
  void aJobAdoptedAlreadyRunningGetsItsStateChangedEvent(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    JobId jobId = fx.leftCreating(run, 1);
    BatchPredictionJob existing =
        cloud
            .jobService()
            .createBatchPredictionJob(fx.parent(), fx.spec(jobId).toBatchPredictionJob());
    cloud.vertexEmulator().forceState(existing.getName(), JobState.JOB_STATE_RUNNING);

    assertThat(fx.poll().recovered()).isEqualTo(1);
    fx.dueNow(new Tracked(jobId, existing.getName()));
    fx.poll();

    assertThat(fx.events())
        .containsExactly("job.submitted  " + jobId, "job.state_changed JOB_STATE_RUNNING " + jobId);
  }

  @Test
  void aRunLeftValidatingPastItsMaximumAgeFailsAndItsShardIsHandedOffAsCreateFailed(
      LocalCloud cloud) throws Exception {
    RunId run = stalledRun(cloud, Duration.ofHours(3));

    PollSummary summary = fx.poll();

    assertThat(summary.runsStalled()).isEqualTo(1);
    var doc = fx.runDoc(run);
    assertThat(doc.getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(doc.getString(RunDoc.REASON)).contains("submit did not finish the run");
    var job = fx.job(new JobId(run, 1, 1));
    assertThat(job.getString(JobDoc.STATE)).isEqualTo(JobDoc.CREATE_FAILED);
    assertThat(job.getString(JobDoc.CREATE_ERROR)).contains("submit did not finish the run");
    assertThat(job.getBoolean(JobDoc.PUBLISH_DONE)).isFalse();
    assertThat(job.getLong(JobDoc.ROWS)).isEqualTo(2);
    assertThat(fx.events()).containsExactly("run.completed  ");
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();
    // The next call's hand-off resend sends it to publish, which fails its rows.
    fx.poll();
    assertThat(fx.drain("completions")).hasSize(1);
  }

  @Test
  void aStalledRunTheWatchdogCannotEndIsLeftForTheNextCallAtOnceNotLeasedUntilItsLeaseRunsOut(
      LocalCloud cloud) throws Exception {
    // One invalid row recorded, but its invalid.jsonl is not in the work bucket: ending the run
    // fails while publishing that row's outcome.
    RunId run =
        stalledRun(
            cloud,
            Duration.ofHours(3),
            Map.of(RunDoc.COUNTS, Map.of("rows", 3L, "valid", 2L, "invalid", 1L)));

    fx.poll();

    var doc = fx.runDoc(run);
    assertThat(doc.getString(RunDoc.STATE)).isEqualTo("VALIDATING");
    assertThat(doc.getTimestamp("lease.expiresAt").toDate().toInstant())
        .as("the watchdog's lease, given up")
        .isBefore(Instant.now());
  }

  @Test
  void aStalledGeminiApiRunHandsItsShardOffOnTheGeminiApiBackend(LocalCloud cloud)
      throws Exception {
    RunId run = stalledRun(cloud, Duration.ofHours(3), Map.of(RunDoc.BACKEND, "gemini-api"));

    fx.poll();

    assertThat(fx.runDoc(run).getString(RunDoc.STATE)).isEqualTo("FAILED");
    var job = fx.job(new JobId(run, 1, 1));
    assertThat(job.getString(JobDoc.STATE)).isEqualTo(JobDoc.CREATE_FAILED);
    assertThat(job.getString(JobDoc.BACKEND)).isEqualTo("gemini-api");
  }

  @Test
  void aStalledRunWhoseJobIsOnABackendTheDeploymentLacksIsStillEnded(LocalCloud cloud)
      throws Exception {
    RunId run =
        stalledRun(
            cloud,
            Duration.ofHours(3),
            Map.of(
                RunDoc.SHARDS,
                List.of(
                    Map.of("shard", 1L, "rows", 2L, "bytes", 10L, "firstRow", 1L, "lastRow", 2L),
                    Map.of("shard", 2L, "rows", 2L, "bytes", 10L, "firstRow", 3L, "lastRow", 4L)),
                RunDoc.COUNTS,
                Map.of("rows", 4L, "valid", 4L, "invalid", 0L)));
    JobId created = new JobId(run, 1, 1);
    cloud
        .firestore()
        .collection(JobDoc.COLLECTION)
        .document(created.value())
        .set(
            Map.of(
                JobDoc.RUN_ID,
                run.value(),
                JobDoc.BACKEND,
                "gemini-api",
                JobDoc.VERTEX_NAME,
                "batches/created",
                JobDoc.STATE,
                "JOB_STATE_RUNNING",
                JobDoc.ACTIVE,
                true,
                JobDoc.NEXT_POLL_AT,
                Timestamp.now()))
        .get();

    PollSummary summary = fx.poll();

    assertThat(summary.runsStalled()).isEqualTo(1);
    assertThat(fx.runDoc(run).getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(fx.job(new JobId(run, 2, 1)).getString(JobDoc.STATE))
        .isEqualTo(JobDoc.CREATE_FAILED);
  }

  @Test
  void aStalledRunFromBeforeThereWereTwoBackendsIsSettledOnVertex(LocalCloud cloud)
      throws Exception {
    RunId run = stalledRun(cloud, Duration.ofHours(3));

    fx.poll();

    assertThat(fx.job(new JobId(run, 1, 1)).getString(JobDoc.BACKEND)).isEqualTo("vertex");
  }

  @Test
  void aStalledRunWhoseLeaseHasAFieldOfTheWrongTypeDoesNotStopTheWatchdogForTheOthers(
      LocalCloud cloud) throws Exception {
    RunId damaged =
        stalledRun(
            cloud,
            Duration.ofMinutes(40),
            Map.of("lease", Map.of("owner", "dead-submit", "expiresAt", "tomorrow")));
    RunId healthy = stalledRun(cloud, Duration.ofMinutes(40));

    fx.poll();

    assertThat(fx.runDoc(healthy).get("stuck.stalled")).as("the healthy run reported").isNotNull();
    assertThat(fx.runDoc(damaged).get("stuck.stalled"))
        .as("a lease whose end is no timestamp holds nothing: the run is reported too")
        .isNotNull();
    assertThat(fx.events()).containsExactly("run.stuck  ", "run.stuck  ");
  }

  @Test
  void aStalledRunWithAFieldOfTheWrongTypeFailsOnceNamingTheFieldAndTheOtherRunsAreEnded(
      LocalCloud cloud) throws Exception {
    RunId notMaps = stalledRun(cloud, Duration.ofHours(3), Map.of(RunDoc.SHARDS, List.of("1")));
    RunId textCount =
        stalledRun(
            cloud,
            Duration.ofHours(3),
            Map.of(RunDoc.COUNTS, Map.of("rows", 2L, "valid", 2L, "invalid", "none")));
    RunId healthy = stalledRun(cloud, Duration.ofHours(3));

    assertThat(fx.poll().runsStalled()).isEqualTo(3);

    assertThat(fx.runDoc(healthy).getString(RunDoc.STATE)).isEqualTo("FAILED");
    var shards = fx.runDoc(notMaps);
    assertThat(shards.getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(shards.getString(RunDoc.REASON))
        .contains("submit did not finish the run")
        .contains("field shards[0] is a string (\"1\"); expected a map");
    var counts = fx.runDoc(textCount);
    assertThat(counts.getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(counts.getString(RunDoc.REASON))
        .contains("field counts.invalid is a string (\"none\"); expected a number");
    assertThat(fx.events()).hasSize(3).allMatch(e -> e.startsWith("run.completed"));
    assertThat(fx.poll().runsStalled()).as("decided once").isZero();
  }

  @Test
  void aFailingRunWhoseLastFailureIsNotAStringFailsNamingTheField(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_RUN_MAX_FAILURES", "4"));
    RunId run = stalledRun(cloud, Duration.ofMinutes(1));
    runRef(cloud, run).update(RunDoc.SUBMIT_FAILURES, 4L, RunDoc.LAST_FAILURE, 42L).get();

    assertThat(fx.poll().runsStalled()).isEqualTo(1);

    var doc = fx.runDoc(run);
    assertThat(doc.getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(doc.getString(RunDoc.REASON))
        .contains("submit failed 4 times")
        .contains("field failures.last is a number (42); expected a string");
    assertThat(fx.events()).containsExactly("run.completed  ");
  }

  @Test
  void aRunStalledLessThanItsMaximumAgeIsReportedStuckOnceAndLeftAlone(LocalCloud cloud)
      throws Exception {
    RunId run = stalledRun(cloud, Duration.ofMinutes(40));

    fx.poll();
    fx.poll();

    assertThat(fx.events()).containsExactly("run.stuck  ");
    assertThat(fx.runDoc(run).getString(RunDoc.STATE)).isEqualTo("VALIDATING");
  }

  @Test
  void aRunWhoseSubmitDeliveriesFailedTheMaximumNumberOfTimesFailsWithTheLastErrorAsItsReason(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_RUN_MAX_FAILURES", "4"));
    RunId run = stalledRun(cloud, Duration.ofMinutes(1));
    failedDeliveries(cloud, run, 4);

    PollSummary summary = fx.poll();

    assertThat(summary.runsStalled()).isEqualTo(1);
    var doc = fx.runDoc(run);
    assertThat(doc.getString(RunDoc.STATE)).isEqualTo("FAILED");
    assertThat(doc.getString(RunDoc.REASON))
        .contains("submit failed 4 times")
        .contains("BATCHDROP_RUN_MAX_FAILURES")
        .contains("UNAVAILABLE: Firestore is down");
    var job = fx.job(new JobId(run, 1, 1));
    assertThat(job.getString(JobDoc.STATE)).isEqualTo(JobDoc.CREATE_FAILED);
    assertThat(job.getBoolean(JobDoc.PUBLISH_DONE)).isFalse();
    assertThat(fx.events()).containsExactly("run.completed  ");
    // Its rows get their failed messages from publish, as on the maximum-age path.
    fx.poll();
    assertThat(fx.drain("completions")).hasSize(1);
  }

  @Test
  void aRunWithFewerFailedDeliveriesThanTheMaximumOrALiveOwnerIsLeftToSubmit(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_RUN_MAX_FAILURES", "4"));
    RunId fewer = stalledRun(cloud, Duration.ofMinutes(1));
    failedDeliveries(cloud, fewer, 3);
    RunId owned = stalledRun(cloud, Duration.ofMinutes(2));
    failedDeliveries(cloud, owned, 9);
    runRef(cloud, owned)
        .update(
            DocumentLease.EXPIRES_AT,
            Timestamp.ofTimeSecondsAndNanos(Instant.now().plusSeconds(600).getEpochSecond(), 0))
        .get();

    assertThat(fx.poll().runsStalled()).isZero();

    assertThat(fx.runDoc(fewer).getString(RunDoc.STATE)).isEqualTo("VALIDATING");
    assertThat(fx.runDoc(owned).getString(RunDoc.STATE)).isEqualTo("VALIDATING");
    assertThat(fx.events()).isEmpty();
  }

  /** What submit's boundary leaves after {@code count} transient failures. */
  private static void failedDeliveries(LocalCloud cloud, RunId run, long count) throws Exception {
    runRef(cloud, run)
        .update(
            RunDoc.SUBMIT_FAILURES,
            count,
            RunDoc.LAST_FAILURE,
            "FirestoreException: UNAVAILABLE: Firestore is down")
        .get();
  }

  private static com.google.cloud.firestore.DocumentReference runRef(LocalCloud cloud, RunId run) {
    return cloud.firestore().collection(RunDoc.COLLECTION).document(run.value());
  }

  /** A run submit staged (one shard of 2 rows) and then abandoned {@code idle} ago. */
  private RunId stalledRun(LocalCloud cloud, Duration idle) throws Exception {
    return stalledRun(cloud, idle, Map.of());
  }

  /** The same, with {@code more} fields in the run document (its backend, say). */
  private RunId stalledRun(LocalCloud cloud, Duration idle, Map<String, Object> more)
      throws Exception {
    RunId run =
        RunId.of(
            "batchdrop-inbox",
            "stalled-" + idle.toMinutes() + String.join("-", more.keySet()) + ".jsonl",
            1);
    Timestamp then = Timestamp.ofTimeSecondsAndNanos(Instant.now().minus(idle).getEpochSecond(), 0);
    Map<String, Object> doc =
        new java.util.HashMap<>(
            Map.of(
                RunDoc.STATE,
                "VALIDATING",
                RunDoc.MODEL,
                PollFixture.MODEL,
                "progress",
                Map.of("staged", true, "acceptedAnnounced", true),
                RunDoc.COUNTS,
                Map.of("rows", 2L, "valid", 2L, "invalid", 0L),
                RunDoc.SHARDS,
                List.of(
                    Map.of("shard", 1L, "rows", 2L, "bytes", 10L, "firstRow", 1L, "lastRow", 2L)),
                "lease",
                Map.of("owner", "dead-submit", "expiresAt", then),
                RunDoc.UPDATED_AT,
                then));
    doc.putAll(more);
    cloud.firestore().collection(RunDoc.COLLECTION).document(run.value()).set(doc).get();
    return run;
  }
}
