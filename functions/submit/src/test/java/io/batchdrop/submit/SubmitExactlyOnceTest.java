package io.batchdrop.submit;

import static io.batchdrop.submit.SubmitFixture.finalized;
import static io.batchdrop.submit.SubmitFixture.lines;
import static io.batchdrop.submit.SubmitFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.Timestamp;
import com.google.cloud.storage.Blob;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.RawFirestore;
import io.cloudevents.CloudEvent;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class SubmitExactlyOnceTest {
  @Fixture private SubmitFixture fx;

  @Test
  void sameEventDeliveredFiveTimesConcurrentlyMakesOneRunAndOneJobPerShard(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "3"));
    Blob blob = fx.upload("incoming/dup.jsonl", lines(6));
    CloudEvent event = finalized(blob);
    SubmitFunction function = fx.function();

    List<Throwable> failures =
        deliverConcurrently(
            5,
            () -> {
              function.accept(event);
              return null;
            });

    // A delivery that finds another one working fails on purpose, to be redelivered later.
    assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOf(RunBusyException.class));
    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(2);
    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(2);

    function.accept(event); // the redelivery finds the run submitted and does nothing
    assertThat(cloud.vertexEmulator().jobs()).hasSize(2);
    assertThat(fx.eventTypes(3)).containsExactly("run.accepted", "job.submitted", "job.submitted");
  }

  @Test
  void createFailingTwiceWithUnavailableIsRetriedIntoOneJob(LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/flaky.jsonl", lines(2));
    cloud.vertexEmulator().knobs().failNextCreates(2, Status.Code.UNAVAILABLE);

    fx.function().accept(finalized(blob));

    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(3);
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
  }

  @Test
  void aLostCreateAnswerThenARefusedLookupIsRetriedNotFailedAndTheJobIsAdopted(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_VERTEX_DEADLINE_SECONDS", "1"));
    Blob blob = fx.upload("incoming/lost-answer.jsonl", lines(2));
    // Vertex makes the job but the answer never comes (the deadline runs out); the lookup by
    // label that follows is refused once. The job may exist, so that is no reason to give up.
    cloud
        .vertexEmulator()
        .knobs()
        .withholdNextCreateAnswers(1)
        .failNextLists(1, Status.Code.PERMISSION_DENIED);

    fx.function().accept(finalized(blob));

    // The adopted job is found as it is now: finished (the emulator runs jobs inside create).
    assertThat(fx.run(blob).getString("state")).isEqualTo("RUNNING");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(cloud.vertexEmulator().callCount("CreateBatchPredictionJob")).isEqualTo(1);
    assertThat(fx.jobsOf(blob))
        .singleElement()
        .satisfies(
            job ->
                assertThat(job.getString("vertexName"))
                    .isEqualTo(cloud.vertexEmulator().jobs().get(0).getName()));
  }

  @Test
  void aLostCreateAnswerWhoseLookupsAreAllRefusedIsRedeliveredNotFailedWhileTheJobMayExist(
      LocalCloud cloud) throws Exception {
    fx.configure(
        Map.of("BATCHDROP_VERTEX_DEADLINE_SECONDS", "1", "BATCHDROP_VERTEX_MAX_ATTEMPTS", "3"));
    Blob blob = fx.upload("incoming/lost-then-refused.jsonl", lines(2));
    // The job is made but its answer lost; every lookup after it is refused as a bad request.
    // The last answer's code says nothing about the create, which may have happened.
    cloud
        .vertexEmulator()
        .knobs()
        .withholdNextCreateAnswers(1)
        .failNextLists(2, Status.Code.INVALID_ARGUMENT);
    CloudEvent event = finalized(blob);

    assertThatThrownBy(() -> fx.function().accept(event)).hasMessageContaining("INVALID_ARGUMENT");
    assertThat(fx.run(blob).getString("state")).isEqualTo("VALIDATING");

    fx.function().accept(event);
    assertThat(fx.run(blob).getString("state")).isEqualTo("RUNNING");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(fx.jobsOf(blob))
        .singleElement()
        .satisfies(
            job ->
                assertThat(job.getString("vertexName"))
                    .isEqualTo(cloud.vertexEmulator().jobs().get(0).getName()));
  }

  @Test
  void exhaustedCapacityFailsTheInvocationAndTheRedeliveryFinishesTheRun(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_VERTEX_MAX_ATTEMPTS", "3"));
    Blob blob = fx.upload("incoming/busy.jsonl", lines(2));
    cloud.vertexEmulator().knobs().failNextCreates(3, Status.Code.RESOURCE_EXHAUSTED);
    CloudEvent event = finalized(blob);

    assertThatThrownBy(() -> fx.function().accept(event))
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    assertThat(fx.run(blob).getString("state")).isEqualTo("VALIDATING");
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();

    fx.function().accept(event);

    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
    assertThat(fx.eventTypes(2)).containsExactly("run.accepted", "job.submitted");
  }

  @Test
  void eachDeliveryThatFailsForATransientReasonIsCountedOnTheRunWithItsError(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_VERTEX_MAX_ATTEMPTS", "2"));
    Blob blob = fx.upload("incoming/counted.jsonl", lines(2));
    cloud.vertexEmulator().knobs().failNextCreates(2, Status.Code.RESOURCE_EXHAUSTED);
    CloudEvent event = finalized(blob);
    assertThatThrownBy(() -> fx.function().accept(event))
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    cloud.vertexEmulator().knobs().failNextCreates(2, Status.Code.UNAVAILABLE);

    assertThatThrownBy(() -> fx.function().accept(event)).hasMessageContaining("UNAVAILABLE");

    var run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("VALIDATING");
    assertThat(run.getLong("failures.submit")).isEqualTo(2);
    assertThat(run.getString("failures.last")).contains("UNAVAILABLE");
    // The lease was given up with the count: the next delivery takes the run at once.
    fx.function().accept(event);
    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
  }

  @Test
  void aDeliveryAbortedByAnotherTransactionsLockIsRedeliveredNotCountedAgainstTheRun(
      LocalCloud cloud) throws Exception {
    // A transaction whose client died (a reset connection, a killed instance) keeps its documents
    // locked until it ends: deliveries meanwhile fail with ABORTED. That is contention, like a
    // live owner, not the run failing; counting it let duplicate deliveries and a network blip
    // spend BATCHDROP_RUN_MAX_FAILURES and fail a healthy run.
    Blob blob = fx.upload("incoming/locked.jsonl", lines(2));
    CloudEvent event = finalized(blob);
    RawFirestore raw = RawFirestore.connect(cloud);
    var lock = raw.lock("jobs", runId(blob).value() + "-s1-a1");

    assertThatThrownBy(() -> fx.function().accept(event)).hasMessageContaining("ABORTED");
    var run = fx.run(blob);
    assertThat(run.getString("state")).isEqualTo("VALIDATING");
    assertThat(run.get("failures.submit")).isNull();

    raw.rollback(lock);
    fx.function().accept(event);
    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(cloud.vertexEmulator().jobs()).hasSize(1);
  }

  @Test
  void aDeliveryThatFindsALiveOwnerIsNotCountedAsAFailure(LocalCloud cloud) throws Exception {
    Blob blob = fx.upload("incoming/owned.jsonl", lines(2));
    CloudEvent event = finalized(blob);
    cloud
        .firestore()
        .collection("runs")
        .document(runId(blob).value())
        .set(
            Map.of(
                "state",
                "VALIDATING",
                "lease",
                Map.of(
                    "owner",
                    "live-invocation",
                    "expiresAt",
                    Timestamp.ofTimeSecondsAndNanos(4_000_000_000L, 0))))
        .get();

    assertThatThrownBy(() -> fx.function().accept(event)).isInstanceOf(RunBusyException.class);

    assertThat(fx.run(blob).get("failures")).isNull();
  }

  @Test
  void runWhoseOwnerDiedMidwayWaitsForItsLeaseThenIsFinishedFromWhereItStood(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "2", "BATCHDROP_VERTEX_MAX_ATTEMPTS", "2"));
    Blob blob = fx.upload("incoming/takeover.jsonl", lines(4));
    CloudEvent event = finalized(blob);
    String run = runId(blob).value();
    // The first owner staged the file, announced it and sent shard 1's create, then died
    // holding its lease: the shard's job document is left CREATING.
    cloud.vertexEmulator().knobs().failNextCreates(2, Status.Code.RESOURCE_EXHAUSTED);
    assertThatThrownBy(() -> fx.function().accept(event))
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    var runDoc = cloud.firestore().collection("runs").document(run);
    runDoc
        .update(
            Map.of(
                "lease.owner",
                "dead-invocation",
                "lease.expiresAt",
                Timestamp.ofTimeSecondsAndNanos(4_000_000_000L, 0)))
        .get();
    assertThat(
            cloud
                .firestore()
                .collection("jobs")
                .document(run + "-s1-a1")
                .get()
                .get()
                .getString("state"))
        .isEqualTo("CREATING");

    assertThatThrownBy(() -> fx.function().accept(event)).isInstanceOf(RunBusyException.class);
    assertThat(cloud.vertexEmulator().jobs()).isEmpty();

    runDoc.update("lease.expiresAt", Timestamp.ofTimeSecondsAndNanos(1, 0)).get(); // it ran out
    fx.function().accept(event);

    assertThat(fx.run(blob).getString("state")).isEqualTo("SUBMITTED");
    assertThat(cloud.vertexEmulator().jobs())
        .extracting(j -> j.getDisplayName())
        .containsExactlyInAnyOrder(run + "-s1-a1", run + "-s2-a1");
    assertThat(fx.eventTypes(3)).containsExactly("run.accepted", "job.submitted", "job.submitted");
  }

  @Test
  void aRunWhoseFirstJobFinishedWhileLaterShardsWereCreatedFollowsItsJobs(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", "2", "BATCHDROP_VERTEX_MAX_ATTEMPTS", "2"));
    cloud.vertexEmulator().knobs().failCreatesAfter(1, 2, Status.Code.RESOURCE_EXHAUSTED);
    Blob blob = fx.upload("incoming/interleaved.jsonl", lines(4));
    CloudEvent event = finalized(blob);
    String run = runId(blob).value();
    assertThatThrownBy(() -> fx.function().accept(event))
        .hasMessageContaining("RESOURCE_EXHAUSTED");
    // Meanwhile poll saw shard 1's job finish; the run was still VALIDATING, so it stayed as it
    // was.
    cloud
        .firestore()
        .collection("jobs")
        .document(run + "-s1-a1")
        .update("state", "JOB_STATE_SUCCEEDED", "active", false)
        .get();

    fx.function().accept(event);

    assertThat(fx.run(blob).getString("state")).isEqualTo("RUNNING");
    assertThat(fx.run(blob).get("jobStates"))
        .isEqualTo(Map.of("JOB_STATE_SUCCEEDED", 1L, "JOB_STATE_PENDING", 1L));
  }

  private static List<Throwable> deliverConcurrently(int times, Callable<Void> delivery)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(times);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        futures.add(pool.submit(delivery));
      }
      List<Throwable> failures = new ArrayList<>();
      for (Future<Void> future : futures) {
        try {
          future.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          failures.add(e.getCause());
        }
      }
      return failures;
    } finally {
      pool.shutdownNow();
    }
  }
}
