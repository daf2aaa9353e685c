package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStatusTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void aRunningJobHalfwayAfterTenMinutesHasTenMinutesLeft() {
    JobView half = running("r-s1-a1", 100, 40, 10, NOW.minus(Duration.ofMinutes(10)));
    RunStatus status = new RunStatus(run("RUNNING"), List.of(half), NOW);

    assertThat(status.eta(half)).contains(Duration.ofMinutes(10));
    assertThat(status.runEta()).contains(Duration.ofMinutes(10));
    assertThat(status.text(false)).contains("ETA ~10m00s (rate so far)");
  }

  @Test
  void aQueuedJobHasNoEtaAndNeitherHasItsRun() {
    JobView half = running("r-s1-a1", 100, 50, 0, NOW.minus(Duration.ofMinutes(10)));
    JobView queued = job("r-s2-a1", "JOB_STATE_PENDING", 100, -1, -1, null, List.of());
    RunStatus status = new RunStatus(run("RUNNING"), List.of(half, queued), NOW);

    assertThat(status.eta(queued)).isEmpty();
    assertThat(status.runEta()).isEmpty();
    assertThat(status.text(false)).contains("no ETA yet").contains("no progress reported yet");
  }

  @Test
  void aRunningJobWithNoRowFinishedHasNoEta() {
    JobView none = running("r-s1-a1", 100, 0, 0, NOW.minus(Duration.ofMinutes(10)));

    assertThat(new RunStatus(run("RUNNING"), List.of(none), NOW).eta(none)).isEmpty();
  }

  @Test
  void stuckJobsAreWarnedAbout() {
    JobView stuck = job("r-s1-a1", "JOB_STATE_PENDING", 10, -1, -1, null, List.of("queued_24h"));

    assertThat(new RunStatus(run("SUBMITTED"), List.of(stuck), NOW).text(false))
        .contains("warning: job r-s1-a1 is stuck (queued_24h), JOB_STATE_PENDING");
  }

  @Test
  void colourAndTheBarAreOnlyForATerminal() {
    JobView half = running("r-s1-a1", 100, 50, 0, NOW.minus(Duration.ofMinutes(1)));
    RunStatus status = new RunStatus(run("RUNNING"), List.of(half), NOW);

    assertThat(status.text(true)).contains("\u001b[").contains("[############............] 50%");
    assertThat(status.text(false)).doesNotContain("\u001b[").doesNotContain("[#").contains(" 50% ");
  }

  @Test
  void aRejectedRunShowsItsFirstFindingsSoTheUserSeesWhichLinesToFix() {
    RunView rejected =
        new RunView(
            "00000000000000000001",
            "gs://in/x.jsonl",
            "gemini-2.5-flash",
            "REJECTED",
            "3 of 7 rows are invalid (42.9%), above the 10% threshold",
            7,
            4,
            3,
            0,
            0,
            0,
            0,
            null,
            null,
            NOW.minus(Duration.ofMinutes(1)),
            NOW,
            NOW,
            null,
            false,
            0,
            "gs://work/runs/00000000000000000001/report.json",
            RunView.findings(
                List.of(
                    Map.of(
                        "line",
                        2L,
                        "column",
                        82L,
                        "code",
                        "json-syntax",
                        "message",
                        "the line is not valid JSON"),
                    Map.of(
                        "line",
                        5L,
                        "column",
                        0L,
                        "code",
                        "line-too-long",
                        "message",
                        "the line is 11534417 bytes long; expected at most 10485760"))));

    assertThat(new RunStatus(rejected, List.of(), NOW).text(false))
        .contains(
            "reason: 3 of 7 rows are invalid (42.9%), above the 10% threshold\n"
                + "  2:82 json-syntax the line is not valid JSON\n"
                + "  5 line-too-long the line is 11534417 bytes long; expected at most 10485760\n"
                + "  (the first findings; all of them in"
                + " gs://work/runs/00000000000000000001/report.json)\n");
  }

  private static JobView running(String id, long rows, long ok, long failed, Instant started) {
    return new JobView(
        id,
        1,
        1,
        "JOB_STATE_RUNNING",
        "v",
        true,
        rows,
        ok,
        failed,
        rows - ok - failed,
        0,
        0,
        null,
        started,
        started,
        started,
        List.of(),
        null);
  }

  private static JobView job(
      String id,
      String state,
      long rows,
      long ok,
      long failed,
      Instant started,
      List<String> stuck) {
    return new JobView(
        id,
        1,
        1,
        state,
        "v",
        true,
        rows,
        ok,
        failed,
        -1,
        0,
        0,
        null,
        started,
        started,
        NOW.minus(Duration.ofHours(25)),
        stuck,
        null);
  }

  private static RunView run(String state) {
    return new RunView(
        "00000000000000000001",
        "gs://in/x.jsonl",
        "gemini-2.5-flash",
        state,
        null,
        200,
        200,
        0,
        0,
        0,
        0,
        0,
        null,
        null,
        NOW.minus(Duration.ofHours(1)),
        NOW,
        null,
        null,
        false,
        2,
        null,
        List.of());
  }
}
