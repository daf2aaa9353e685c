package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code ./batchdrop demo} on the local cloud: the sample goes all the way to the hand-off. */
@LocalCloudTest
class DemoTest {

  @Test
  void theSampleIsSubmittedByItsFinalizeEventPolledToTheEndAndHandedToPublish(LocalCloud cloud)
      throws Exception {
    byte[] sample;
    try (InputStream in = Demo.class.getResourceAsStream("/sample.jsonl")) {
      sample = in.readAllBytes();
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    Demo.Outcome outcome;
    try (LocalStack stack = LocalStack.deploy(cloud, Demo.SETTINGS)) {
      outcome =
          new Demo(stack, new PrintStream(printed, true, StandardCharsets.UTF_8))
              .run("sample.jsonl", sample);
      assertThat(stack.logs())
          .doesNotContain("Say hello in one word"); // no request contents in logs
    }

    assertThat(outcome.runState()).isEqualTo("RUNNING");
    assertThat(outcome.eventTypes())
        .containsSubsequence("run.accepted", "job.submitted", "job.state_changed");
    // Only the invalid rows: publish, once it reads the output, adds the others' results.
    assertThat(outcome.results())
        .filteredOn(m -> m.getAttributesOrThrow("status").equals("invalid"))
        .extracting(m -> m.getAttributesOrThrow("row"))
        .containsExactlyInAnyOrder("6", "7");
    assertThat(outcome.handOffs()).hasSize(1);
    assertThat(outcome.outputRows()).isEqualTo(6);
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("row 1   key greeting-en  succeeded: echo: Say hello in one word.")
        .contains("row 5   key summary-1    failed: Bad Request");
  }
}
