package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.aiplatform.v1.JobState;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.poll.PollFixture.Tracked;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code poll} as Cloud Scheduler reaches it: an HTTP POST to the real invoker. */
@LocalCloudTest
@Tag("system")
class PollInvokerTest {
  @Fixture private PollFixture fx;

  @Test
  void aScheduledPostPollsAndAnswersWithASummaryAndARepeatedSlotChangesNothing(LocalCloud cloud)
      throws Exception {
    Tracked running = fx.submitted(fx.run(), 1);
    Tracked done = fx.submitted(fx.run(), 1);
    cloud.vertexEmulator().forceState(running.vertexName(), JobState.JOB_STATE_RUNNING);
    cloud.vertexEmulator().forceState(done.vertexName(), JobState.JOB_STATE_SUCCEEDED);

    try (InvokedFunction function =
        InvokedFunction.start("io.batchdrop.poll.PollFunction", fx.environment())) {
      Map<String, String> scheduler =
          Map.of(
              "X-CloudScheduler-JobName",
              "batchdrop-poll",
              "X-CloudScheduler-ScheduleTime",
              "2026-11-22T18:00:00Z");
      HttpResponse<String> first = function.post(scheduler, "");
      HttpResponse<String> repeated = function.post(scheduler, "");

      assertThat(first.statusCode()).isEqualTo(200);
      JsonNode summary = PollFixture.json(first.body());
      assertThat(summary.path("polled").asInt()).isEqualTo(2);
      assertThat(summary.path("changed").asInt()).isEqualTo(2);
      assertThat(summary.path("completed").asInt()).isEqualTo(1);
      assertThat(summary.path("errors").asInt()).isZero();
      assertThat(summary.has("took_ms")).isTrue();
      assertThat(repeated.statusCode()).isEqualTo(200);
      assertThat(PollFixture.json(repeated.body()).path("changed").asInt())
          .as("a repeated schedule slot changes nothing")
          .isZero();
      assertThat(fx.job(running.jobId()).getString(JobDoc.STATE)).isEqualTo("JOB_STATE_RUNNING");
      assertThat(fx.drain("completions")).hasSize(1);
      assertThat(function.output())
          .contains("\"message\":\"poll call finished\"")
          .contains("\"schedule_time\":\"2026-11-22T18:00:00Z\"");
    }
  }

  @Test
  void otherMethodsAreRefusedAndAnUnreachableFirestoreAnswers500(LocalCloud cloud)
      throws Exception {
    Map<String, String> environment = new java.util.HashMap<>(fx.environment());
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    environment.put("FIRESTORE_EMULATOR_HOST", "127.0.0.1:" + closedPort);

    try (InvokedFunction function =
        InvokedFunction.start("io.batchdrop.poll.PollFunction", environment)) {
      HttpResponse<String> get = function.send("GET", Map.of(), "");
      HttpResponse<String> post = function.post(Map.of(), "");

      assertThat(get.statusCode()).isEqualTo(405);
      assertThat(get.headers().firstValue("Allow")).hasValue("POST");
      assertThat(post.statusCode()).isEqualTo(500);
      assertThat(PollFixture.json(post.body()).path("error").asText()).contains("Firestore");
      assertThat(function.output()).contains("\"severity\":\"ERROR\"");
    }
  }
}
