package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Staging on its own thread writes exactly what staging on the validator's thread writes. */
class BackgroundListenerTest {
  private static final Duration STALL = Duration.ofMinutes(1);
  private final RequestValidator validator = new RequestValidator(ValidatorConfig.defaults());

  @Test
  void theStagedShardsAndInvalidRowsAreTheSameAsWithoutTheThread() throws Exception {
    byte[] file = mixedFile(new Random(11), 3_000);
    MemoryStagingOutput direct = new MemoryStagingOutput();
    StagingWriter directWriter =
        new StagingWriter(direct, new StagingLimits(700, 1 << 20, RunShardBudget.MAX_SHARDS));
    ValidationReport expected = validator.validate(new ByteArrayInputStream(file), directWriter);
    StagingResult expectedResult = directWriter.finish();

    MemoryStagingOutput threaded = new MemoryStagingOutput();
    StagingWriter writer =
        new StagingWriter(threaded, new StagingLimits(700, 1 << 20, RunShardBudget.MAX_SHARDS));
    ValidationReport report;
    // Batches smaller than many lines: every line longer than one gets a batch of its own.
    try (BackgroundListener background = new BackgroundListener(writer, "test", 2, 300, STALL)) {
      report = validator.validate(new ByteArrayInputStream(file), background);
      background.finish();
    }
    StagingResult result = writer.finish();

    assertThat(report).isEqualTo(expected);
    assertThat(result).isEqualTo(expectedResult);
    assertThat(result.shards()).hasSizeGreaterThan(3);
    assertThat(result.invalidRows()).isPositive();
    for (int shard = 1; shard <= result.shards().size(); shard++) {
      assertThat(threaded.shardLines(shard)).isEqualTo(direct.shardLines(shard));
    }
    assertThat(threaded.invalidLines()).isEqualTo(direct.invalidLines());
  }

  @Test
  void aFailureOnTheStagingThreadIsThrownToTheValidatorWithTheOriginalAsCause() {
    IllegalStateException refused = new IllegalStateException("storage said 404");
    LineListener failing =
        new LineListener() {
          private int lines;

          @Override
          public void onValidLine(ValidLine line) {
            if (++lines == 5) {
              throw refused;
            }
          }
        };
    byte[] file = validLines(2_000);

    assertThatThrownBy(
            () -> {
              try (BackgroundListener background =
                  new BackgroundListener(failing, "test", 2, 512, STALL)) {
                validator.validate(new ByteArrayInputStream(file), background);
                background.finish();
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessageContaining("storage said 404")
        .cause()
        .isSameAs(refused);
  }

  @Test
  void aStagingThreadThatFallsBehindHoldsTheValidatorBackAfterAFewBatchesThenFailsItAtTheDeadline()
      throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicInteger handed = new AtomicInteger();
    LineListener blocked =
        new LineListener() {
          @Override
          public void onValidLine(ValidLine line) {
            try {
              stuck.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    LineListener counting =
        new LineListener() {
          @Override
          public void onValidLine(ValidLine line) {
            handed.incrementAndGet();
          }
        };
    byte[] file = validLines(10_000);
    int lineBytes = file.length / 10_000;

    try (BackgroundListener background =
        new BackgroundListener(blocked, "test", 2, 10 * lineBytes, Duration.ofMillis(200))) {
      assertThatThrownBy(
              () ->
                  validator.validate(
                      new ByteArrayInputStream(file), LineListener.both(background, counting)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("waited PT0.2S for a free batch");
    } finally {
      stuck.countDown();
    }
    // Two batches of about ten lines, the one that met the deadline not counted.
    assertThat(handed.get()).isBetween(10, 30);
  }

  private static byte[] validLines(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"line ")
          .append(String.format("%06d", i))
          .append("\"}]}]}}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] mixedFile(Random random, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(8)) {
        case 0 -> sb.append("{\"request\":{}}");
        case 1 -> sb.append("not json at all");
        case 2 ->
            sb.append("{\"key\":\"k-")
                .append(i)
                .append("\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"")
                .append("long text ".repeat(20 + random.nextInt(100)))
                .append("\"}]}],\"labels\":{\"team\":\"a\"}}}");
        default ->
            sb.append("{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":{\"text\":\"äé中 ")
                .append(i)
                .append("\"}}]}}");
      }
      sb.append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
