package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.testing.LocalDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The local stack's triggers dead-letter where and when the deployment's do ({@code terraform/}).
 */
class LocalTriggersTest {
  private static final Path TERRAFORM = Path.of("../../terraform");

  @Test
  void eachPubSubTriggerDeadLettersAfterTerraformsDeliveriesToItsDeadLetterTopic()
      throws Exception {
    String variables = Files.readString(TERRAFORM.resolve("variables.tf"));
    String pubsub = Files.readString(TERRAFORM.resolve("pubsub.tf"));

    assertThat(trigger("publish").deadLetter().maxDeliveryAttempts())
        .isEqualTo(
            Integer.parseInt(
                group(
                    variables,
                    "variable \"publish_max_delivery_attempts\" \\{[^}]*?default\\s*=\\s*(\\d+)")));
    assertThat(trigger("poll-slices").deadLetter().maxDeliveryAttempts())
        .isEqualTo(Integer.parseInt(group(pubsub, "poll-slices\\s*=\\s*(\\d+)")));
    assertThat(
            group(
                pubsub,
                "resource \"google_pubsub_topic\" \"dead_letter\" \\{\\s*name\\s*=\\s*\"\\$\\{var.name_prefix\\}-([a-z-]+)\""))
        .isEqualTo(LocalDeployment.DEAD_LETTER_TOPIC);
    assertThat(LocalDeployment.TOPICS).contains(LocalDeployment.DEAD_LETTER_TOPIC);
  }

  @Test
  void eachFunctionHasTerraformsTimeoutAndIsToldIt() throws Exception {
    String functions = Files.readString(TERRAFORM.resolve("functions.tf"));

    for (LocalFunction function : LocalStack.FUNCTIONS) {
      String block =
          group(functions, "(?ms)^    " + Pattern.quote(function.name()) + " = \\{\n(.*?)^    \\}");
      long timeout = Long.parseLong(group(block, "timeout_seconds\\s*=\\s*(\\d+)"));
      assertThat(function.timeout().toSeconds()).as(function.name()).isEqualTo(timeout);
      // The environment merges the timeout_N_env of its own timeout.
      String env = group(block, "environment\\s*=\\s*merge\\([^)]*local\\.(timeout_\\d+_env)\\)");
      assertThat(
              group(
                  functions,
                  env + "\\s*=\\s*\\{\\s*BATCHDROP_FUNCTION_TIMEOUT_SECONDS\\s*=\\s*\"(\\d+)\""))
          .as(function.name() + "'s " + env)
          .isEqualTo(function.environment().get("BATCHDROP_FUNCTION_TIMEOUT_SECONDS"))
          .isEqualTo(Long.toString(timeout));
    }
  }

  @Test
  void theSchedulerWaitsForPollAsLongAsTerraformsJob() throws Exception {
    String scheduler = Files.readString(TERRAFORM.resolve("scheduler.tf"));
    Matcher deadline =
        Pattern.compile(
                "attempt_deadline\\s*=\\s*\"\\$\\{google_cloudfunctions2_function\\.function\\[\"([a-z-]+)\"\\]"
                    + "\\.service_config\\[0\\]\\.timeout_seconds \\+ (\\d+)\\}s\"")
            .matcher(scheduler);
    assertThat(deadline.find()).as("scheduler.tf's attempt_deadline").isTrue();
    LocalFunction scheduled =
        LocalStack.FUNCTIONS.stream()
            .filter(f -> f.trigger() instanceof LocalFunction.Scheduled)
            .findFirst()
            .orElseThrow();
    assertThat(scheduled.name()).isEqualTo(deadline.group(1));
    assertThat(((LocalFunction.Scheduled) scheduled.trigger()).attemptDeadline())
        .isEqualTo(scheduled.timeout().plusSeconds(Long.parseLong(deadline.group(2))));
  }

  private static LocalFunction.PubSubPublished trigger(String function) {
    return LocalStack.FUNCTIONS.stream()
        .filter(f -> f.name().equals(function))
        .map(f -> (LocalFunction.PubSubPublished) f.trigger())
        .findFirst()
        .orElseThrow();
  }

  private static String group(String text, String regex) {
    Matcher matcher = Pattern.compile(regex).matcher(text);
    assertThat(matcher.find()).as("terraform/ has " + regex).isTrue();
    return matcher.group(1);
  }
}
