package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.Timestamp;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.DocumentReference;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunProgress;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A run's progress ({@code jobStates}) follows its jobs without locking them: the refresh reads the
 * jobs outside a transaction and records the counts of its read only if no later read was recorded.
 */
@LocalCloudTest
class RunRefreshTest {
  @Fixture private PollFixture fx;

  @Test
  void aJobOfTheRunIsRecordedWhileTheRunsProgressIsBeingWritten(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    Tracked finished = fx.submitted(run, 1);
    Tracked sibling = fx.submitted(run, 2);
    fx.update(finished.jobId(), JobDoc.STATE, "JOB_STATE_SUCCEEDED");
    DocumentReference siblingJob =
        cloud.firestore().collection(JobDoc.COLLECTION).document(sibling.jobId().value());
    AtomicReference<Throwable> siblingFailure = new AtomicReference<>();
    AtomicBoolean siblingWritten = new AtomicBoolean();
    // The refresh asks its clock for the run's updatedAt inside its transaction, after it read the
    // jobs: the moment another call (a slice recording the sibling, publish checkpointing it)
    // writes the sibling here.
    Clock duringTheRefresh =
        new Clock() {
          @Override
          public Instant instant() {
            if (!siblingWritten.get() && siblingFailure.get() == null) {
              try {
                siblingJob.update(JobDoc.STATE, "JOB_STATE_RUNNING").get(60, TimeUnit.SECONDS);
                siblingWritten.set(true);
              } catch (Exception e) {
                siblingFailure.set(e);
              }
            }
            return Instant.now();
          }

          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }
        };

    boolean changed = new RunProgress(cloud.firestore(), duringTheRefresh).refresh(run.value());

    assertThat(siblingFailure.get()).as("the sibling's write during the refresh").isNull();
    assertThat(siblingWritten).isTrue();
    assertThat(changed).isTrue();
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .as("what the refresh read")
        .isEqualTo(Map.of("JOB_STATE_PENDING", 1L, "JOB_STATE_SUCCEEDED", 1L));
    assertThat(new RunProgress(cloud.firestore(), Clock.systemUTC()).refresh(run.value()))
        .as("the writer's own refresh, after its commit")
        .isTrue();
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_RUNNING", 1L, "JOB_STATE_SUCCEEDED", 1L));
  }

  @Test
  void countsFromALaterReadOfTheJobsAreNotOverwrittenByAnEarlierOne(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked job = fx.submitted(run, 1);
    // A refresh that read the jobs after this one did has recorded its counts first.
    Timestamp later = Timestamp.ofTimeSecondsAndNanos(Timestamp.now().getSeconds() + 3600, 0);
    Map<String, Long> laterCounts = Map.of("JOB_STATE_SUCCEEDED", 1L);
    cloud
        .firestore()
        .collection(RunDoc.COLLECTION)
        .document(run.value())
        .update(RunProgress.JOB_STATES, laterCounts, RunProgress.JOB_STATES_AS_OF, later)
        .get();

    boolean changed = new RunProgress(cloud.firestore(), Clock.systemUTC()).refresh(run.value());

    assertThat(changed).isFalse();
    assertThat(fx.job(job.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_PENDING");
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES)).isEqualTo(laterCounts);
  }

  @Test
  void aRunWhoseRefreshFailedIsBroughtUpToDateByTheNextCall(LocalCloud cloud) throws Exception {
    RunId run = fx.run();
    Tracked job = fx.submitted(run, 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    fx.poll();
    // As Poller leaves a run whose refresh failed after a job change: counts behind, marked.
    cloud
        .firestore()
        .collection(RunDoc.COLLECTION)
        .document(run.value())
        .update(RunProgress.JOB_STATES, Map.of("JOB_STATE_PENDING", 1L), RunProgress.STALE, true)
        .get();

    fx.poll(); // the job is unchanged (and not due): only the stale mark brings the run up

    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_RUNNING", 1L));
    assertThat(fx.runDoc(run).get(RunProgress.STALE)).isNull();
  }

  @Test
  void aRunWithAFieldOfTheWrongTypeGetsItsCountsAndNeitherFailsNorStopsTheOtherRunsRefresh(
      LocalCloud cloud) throws Exception {
    RunId numberState = fx.run();
    RunId textAsOf = fx.run();
    RunId healthy = fx.run();
    for (RunId run : java.util.List.of(numberState, textAsOf, healthy)) {
      Tracked job = fx.submitted(run, 1);
      cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    }
    runRef(cloud, numberState).update(RunDoc.STATE, 7L).get();
    runRef(cloud, textAsOf).update(RunProgress.JOB_STATES_AS_OF, "yesterday").get();

    PollSummary first = fx.poll();

    assertThat(first.changed()).isEqualTo(3);
    assertThat(first.errors()).as("no refresh failed").isZero();
    for (RunId run : java.util.List.of(numberState, textAsOf, healthy)) {
      assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
          .as("the counts of " + run)
          .isEqualTo(Map.of("JOB_STATE_RUNNING", 1L));
      assertThat(fx.runDoc(run).get(RunProgress.STALE)).as("left stale: " + run).isNull();
    }
    assertThat(fx.runDoc(numberState).get(RunDoc.STATE))
        .as("a state that is no string is not moved: publish decides about it")
        .isEqualTo(7L);
    assertThat(fx.runDoc(textAsOf).getString(RunDoc.STATE)).isEqualTo("RUNNING");
    assertThat(fx.runDoc(textAsOf).get(RunProgress.JOB_STATES_AS_OF)).isInstanceOf(Timestamp.class);
    assertThat(fx.poll().errors()).as("the next call").isZero();
  }

  private static DocumentReference runRef(LocalCloud cloud, RunId run) {
    return cloud.firestore().collection(RunDoc.COLLECTION).document(run.value());
  }

  @Test
  void aRunTheCallReachesOnlyAfterItsDeadlineIsLeftStaleAndTheNextCallRefreshesIt(LocalCloud cloud)
      throws Exception {
    RunId run = fx.run();
    Tracked job = fx.submitted(run, 1);
    cloud.vertexEmulator().forceState(job.vertexName(), JobState.JOB_STATE_RUNNING);
    // The job's get is started inside the call's five-second budget (the selection before it takes
    // well under a second even on a busy machine) and answers after it, so the job is recorded but
    // the run's refresh would come after the deadline.
    fx.configure(Map.of("BATCHDROP_POLL_BUDGET_SECONDS", "5"));
    cloud.vertexEmulator().knobs().getLatency(Duration.ofSeconds(6));

    PollSummary late = fx.poll();

    assertThat(late.changed()).as("the job itself is recorded").isOne();
    assertThat(late.errors()).as("a run left for the next call is no error").isZero();
    assertThat(fx.runDoc(run).getBoolean(RunProgress.STALE)).isTrue();
    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isNotEqualTo(Map.of("JOB_STATE_RUNNING", 1L));

    fx.configure(Map.of("BATCHDROP_POLL_BUDGET_SECONDS", "120"));
    cloud.vertexEmulator().knobs().getLatency(Duration.ZERO);
    fx.poll();

    assertThat(fx.runDoc(run).get(RunProgress.JOB_STATES))
        .isEqualTo(Map.of("JOB_STATE_RUNNING", 1L));
    assertThat(fx.runDoc(run).get(RunProgress.STALE)).isNull();
  }
}
