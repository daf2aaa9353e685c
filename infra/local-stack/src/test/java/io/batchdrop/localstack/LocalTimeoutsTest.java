package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.PubSubBridge;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local stack's functions, scheduler and bridges keep the deployment's time limits. */
@LocalCloudTest
class LocalTimeoutsTest {

  @Test
  void eachFunctionIsToldTheTimeoutTerraformGivesIt(LocalCloud cloud) throws Exception {
    Map<String, String> told = new LinkedHashMap<>();
    try (LocalStack stack = LocalStack.deploy(cloud, Map.of())) {
      for (Map.Entry<LocalFunction, InvokedFunction> function : stack.functions().entrySet()) {
        told.put(
            function.getKey().name(),
            environmentOf(function.getValue().process())
                .getOrDefault("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", "unset (540)"));
      }
    }

    // terraform/functions.tf: timeout_seconds and the timeout_*_env each function merges.
    assertThat(told)
        .containsExactly(
            Map.entry("submit", "540"),
            Map.entry("poll", "300"),
            Map.entry("poll-slices", "300"),
            Map.entry("publish", "540"));
  }

  @Test
  void aTickNotAnsweredByItsAttemptDeadlineFailsSayingSoAndTheFunctionRunsOn(LocalCloud cloud)
      throws Exception {
    LocalFunction held =
        new LocalFunction(
            "held",
            HeldFunction.class.getName(),
            Duration.ofSeconds(1),
            new LocalFunction.Scheduled("batchdrop-held", Duration.ofSeconds(1)));
    try (LocalStack stack = LocalStack.deploy(cloud, Map.of(), only(held))) {
      // Bounded so a tick that waits for something else than its 1 s deadline fails the test.
      CompletableFuture<String> tick =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return stack.tick();
                } catch (Exception e) {
                  throw new CompletionException(e);
                }
              });
      assertThatThrownBy(() -> tick.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "held did not answer within the attempt deadline of its Scheduler job, 1 s; the next tick"
                  + " is the retry");

      InvokedFunction function = stack.functions().get(held);
      assertThat(function.process().isAlive()).isTrue();
      function.post(Map.of(HeldFunction.RELEASE, "yes"), "");
      assertThat(stack.tick()).isEqualTo("{\"released\":true}");
    }
  }

  @Test
  void aDeliveryNotAnsweredWithinItsFunctionsTimeoutFailsAndComesAgain(LocalCloud cloud)
      throws Exception {
    LocalFunction held =
        new LocalFunction(
            "held",
            HeldFunction.class.getName(),
            Duration.ofSeconds(1),
            new LocalFunction.PubSubPublished("poll-slices", 5));
    BlockingQueue<PubSubBridge.Delivery> deliveries = new LinkedBlockingQueue<>();
    LocalStack.Options options =
        new LocalStack.Options(
            List.of(held), 0, PubSubBridge.Settings.EVENTARC, (f, d) -> deliveries.add(d));
    try (LocalStack stack = LocalStack.deploy(cloud, Map.of(), options)) {
      cloud
          .topicAdmin()
          .publish(
              TopicName.of(cloud.projectId(), "poll-slices"),
              List.of(PubsubMessage.newBuilder().putAttributes("slice", "0/1").build()));

      PubSubBridge.Delivery first = deliveries.poll(60, TimeUnit.SECONDS);
      assertThat(first).as("a delivery reported").isNotNull();
      assertThat(first.acknowledged()).isFalse();
      assertThat(first.error()).contains("timed out");
      assertThat(first.retryIn()).isEqualTo(PubSubBridge.Settings.EVENTARC.minimumBackoff());
      stack.functions().get(held).post(Map.of(HeldFunction.RELEASE, "yes"), "");
    }
  }

  private static LocalStack.Options only(LocalFunction function) {
    return new LocalStack.Options(
        List.of(function), 0, PubSubBridge.Settings.EVENTARC, (f, d) -> {});
  }

  /** What the process was started with, as Linux shows it. */
  private static Map<String, String> environmentOf(Process process) throws Exception {
    String environ =
        new String(
            Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ")),
            StandardCharsets.UTF_8);
    Map<String, String> environment = new LinkedHashMap<>();
    for (String entry : environ.split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return environment;
  }
}
