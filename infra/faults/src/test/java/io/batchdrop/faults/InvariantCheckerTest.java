package io.batchdrop.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker must be able to fail: each broken promise is caught and said in words. */
class InvariantCheckerTest {
  private static final String RUN = "0123456789abcdef0123";
  private static final Map<String, Long> COUNTS =
      Map.of("rows", 3L, "valid", 2L, "invalid", 1L, "succeeded", 1L, "failed", 1L, "missing", 0L);

  @Test
  void aRunWhoseEveryRowHasOneOutcomeAndWhoseCountsAgreeHasNoViolation() {
    assertThat(InvariantChecker.check(settled(results()))).isEmpty();
  }

  @Test
  void aRepeatOfTheSameMessageIsTheToleratedAtLeastOnceDuplicate() {
    List<Snapshot.Result> results = results();
    results.add(result(2, "failed", 1));

    assertThat(InvariantChecker.check(settled(results))).isEmpty();
  }

  @Test
  void aLostRowIsAViolation() {
    List<Snapshot.Result> results = results();
    results.remove(1);

    assertThat(InvariantChecker.check(settled(results)))
        .anySatisfy(v -> assertThat(v).contains("1 row(s) without an outcome").endsWith(": 2"))
        .anySatisfy(v -> assertThat(v).contains("counts.failed is 1 but 0 row(s)"));
  }

  @Test
  void aRowPublishedUnderTwoAttemptsIsTwoOutcomes() {
    List<Snapshot.Result> results = results();
    results.add(result(2, "succeeded", 2));

    assertThat(InvariantChecker.check(settled(results)))
        .anySatisfy(v -> assertThat(v).contains("1 row(s) with more than one outcome"));
  }

  @Test
  void aSecondVertexJobForAShardAttemptIsAViolation() {
    Snapshot s = settled(results());
    Snapshot twice =
        new Snapshot(
            s.upload(),
            s.runs(),
            s.jobs(),
            List.of(RUN + "-s1-a1", RUN + "-s1-a1"),
            s.results(),
            s.completed());

    assertThat(InvariantChecker.check(twice))
        .containsExactly(
            "run "
                + RUN
                + " (up.jsonl): shard attempt "
                + RUN
                + "-s1-a1 has 2 batch jobs;"
                + " expected one");
  }

  @Test
  void aVertexJobNoDocumentRecordsIsAViolation() {
    Snapshot s = settled(results());
    Snapshot orphan =
        new Snapshot(
            s.upload(),
            s.runs(),
            s.jobs(),
            List.of(RUN + "-s1-a1", RUN + "-s1-a2"),
            s.results(),
            s.completed());

    assertThat(InvariantChecker.check(orphan))
        .containsExactly(
            "run "
                + RUN
                + " (up.jsonl): batch job "
                + RUN
                + "-s1-a2 is recorded in no job"
                + " document; expected every one");
  }

  @Test
  void twoRunsForOneUploadAndARunLeftRunningAreViolations() {
    Snapshot s = settled(results());
    Snapshot.Run running = new Snapshot.Run(RUN, "RUNNING", false, COUNTS);
    Snapshot doubled =
        new Snapshot(
            s.upload(),
            List.of(running, s.runs().get(0)),
            s.jobs(),
            s.vertexJobs(),
            s.results(),
            s.completed());

    assertThat(InvariantChecker.check(doubled))
        .anySatisfy(v -> assertThat(v).contains("2 run documents; expected exactly one"))
        .anySatisfy(v -> assertThat(v).contains("state RUNNING, not closed"));
  }

  @Test
  void countsThatDoNotAddUpOrDisagreeWithRunCompletedAreViolations() {
    Snapshot s = settled(results());
    Map<String, Long> wrong =
        Map.of("rows", 3L, "valid", 2L, "invalid", 1L, "succeeded", 2L, "failed", 1L);
    Snapshot off =
        new Snapshot(
            s.upload(),
            List.of(new Snapshot.Run(RUN, "PARTIAL", true, wrong)),
            s.jobs(),
            s.vertexJobs(),
            s.results(),
            s.completed());

    assertThat(InvariantChecker.check(off))
        .anySatisfy(v -> assertThat(v).contains("= 4; expected counts.rows = 3"))
        .anySatisfy(v -> assertThat(v).contains("run.completed says succeeded = 1"));
  }

  @Test
  void aRowFailedByAFaultARetryShouldHaveFixedIsAViolationThoughItHasOneOutcome() {
    Snapshot s = settled(results());
    Map<Long, String> asked = Map.of(1L, "succeeded", 2L, "succeeded", 3L, "invalid");

    assertThat(InvariantChecker.check(expecting(s, asked)))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("1 row(s) whose outcome is not the one the file"))
        .satisfies(v -> assertThat(v).contains("2 failed (expected succeeded)"));
  }

  @Test
  void rowsEndingAsTheFileAsksAreNoViolation() {
    Snapshot s = settled(results());
    Map<Long, String> asked = Map.of(1L, "succeeded", 2L, "failed", 3L, "invalid");

    assertThat(InvariantChecker.check(expecting(s, asked))).isEmpty();
  }

  private static Snapshot expecting(Snapshot s, Map<Long, String> expected) {
    return new Snapshot(
        s.upload(), s.runs(), s.jobs(), s.vertexJobs(), s.results(), s.completed(), expected);
  }

  @Test
  void aRunWithoutAFinalRunCompletedIsAViolation() {
    Snapshot s = settled(results());
    Snapshot silent =
        new Snapshot(
            s.upload(),
            s.runs(),
            s.jobs(),
            s.vertexJobs(),
            s.results(),
            List.of(new Snapshot.Completed(RUN, "FAILED", Map.of())));

    assertThat(InvariantChecker.check(silent))
        .anySatisfy(v -> assertThat(v).contains("no run.completed with counts"));
  }

  @Test
  void anUploadOverwrittenBeforeItWasReadMayBeRejectedIfNothingOfItRan() {
    Snapshot rejected = rejected(Map.of(), List.of(), List.of(), List.of(), true);

    assertThat(InvariantChecker.check(rejected)).isEmpty();
  }

  @Test
  void aRejectedUploadThatWasNotOverwrittenIsAViolation() {
    Snapshot rejected = rejected(Map.of(), List.of(), List.of(), List.of(), false);

    assertThat(InvariantChecker.check(rejected))
        .anySatisfy(v -> assertThat(v).contains("REJECTED; expected the file to be accepted"));
  }

  @Test
  void anOverwrittenUploadRejectedAfterSomeOfItRanIsAViolation() {
    Snapshot s = settled(results());
    Snapshot halfRun = rejected(Map.of(), s.jobs(), s.vertexJobs(), s.results(), true);

    assertThat(InvariantChecker.check(halfRun))
        .anySatisfy(
            v ->
                assertThat(v)
                    .contains(
                        "REJECTED as overwritten, yet 1 job document(s), 1 batch job(s) and 3"
                            + " row outcome(s)"));
  }

  @Test
  void anOverwrittenUploadRejectedAfterSubmitReadItsRowsIsAViolation() {
    // Read through, its generation was not gone: the rejection is the file's, which a valid
    // enough file must never get, overwritten or not.
    Map<String, Long> read = Map.of("rows", 3L, "valid", 2L, "invalid", 1L, "warnings", 0L);
    Snapshot readThenRejected = rejected(read, List.of(), List.of(), List.of(), true);

    assertThat(InvariantChecker.check(readThenRejected))
        .anySatisfy(
            v ->
                assertThat(v)
                    .contains("REJECTED as overwritten after its 3 row(s) were read")
                    .contains("expected its generation gone before it was read through"));
  }

  private static Snapshot rejected(
      Map<String, Long> counts,
      List<Snapshot.Job> jobs,
      List<String> batchJobs,
      List<Snapshot.Result> results,
      boolean overwritten) {
    return new Snapshot(
        "up.jsonl",
        List.of(new Snapshot.Run(RUN, "REJECTED", true, counts)),
        jobs,
        batchJobs,
        results,
        List.of(),
        Map.of(),
        overwritten);
  }

  private static Snapshot settled(List<Snapshot.Result> results) {
    return new Snapshot(
        "up.jsonl",
        List.of(new Snapshot.Run(RUN, "PARTIAL", true, COUNTS)),
        List.of(new Snapshot.Job(RUN + "-s1-a1", "JOB_STATE_SUCCEEDED", "projects/p/x/1", true)),
        List.of(RUN + "-s1-a1"),
        results,
        List.of(new Snapshot.Completed(RUN, "PARTIAL", COUNTS)));
  }

  private static List<Snapshot.Result> results() {
    return new ArrayList<>(
        List.of(result(1, "succeeded", 1), result(2, "failed", 1), result(3, "invalid", 0)));
  }

  private static Snapshot.Result result(long row, String status, int attempt) {
    return new Snapshot.Result(RUN, row, status, RUN + "/" + row + "/" + attempt);
  }
}
