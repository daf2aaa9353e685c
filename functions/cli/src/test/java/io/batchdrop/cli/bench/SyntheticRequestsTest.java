package io.batchdrop.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SyntheticRequestsTest {
  private static final int ONE_MB = 1 << 20;

  @Test
  void everyGeneratedLineIsValidAndTwoToFourKilobytes() throws IOException {
    byte[] file = generate(42, ONE_MB);

    ValidationReport report =
        new RequestValidator(ValidatorConfig.defaults())
            .validate(new ByteArrayInputStream(file), new LineListener() {});

    assertThat(report.findings()).isEmpty();
    assertThat(report.invalid()).isZero();
    assertThat(report.valid()).isEqualTo(report.rows()).isGreaterThan(250);
    String[] lines = new String(file, StandardCharsets.UTF_8).split("\n");
    assertThat(lines)
        .allSatisfy(
            line ->
                assertThat(line.getBytes(StandardCharsets.UTF_8).length)
                    .isBetween(SyntheticRequests.MIN_LINE_BYTES, SyntheticRequests.MAX_LINE_BYTES));
  }

  @Test
  void linesLookLikeRealBatchRequests() throws IOException {
    String text = new String(generate(42, ONE_MB), StandardCharsets.UTF_8);

    assertThat(text)
        .contains(
            "\"role\":\"model\"",
            "\"fileData\":{\"fileUri\":\"gs://",
            "\"file_data\"",
            "\"systemInstruction\"",
            "\"generationConfig\"",
            "\"responseSchema\"",
            "\"key\":\"order-");
    assertThat(text.chars().anyMatch(c -> c > 127)).as("some non-ASCII text").isTrue();
  }

  @Test
  void theSameSeedGivesTheSameFile() throws IOException {
    assertThat(generate(7, 64 * 1024)).isEqualTo(generate(7, 64 * 1024));
    assertThat(generate(7, 64 * 1024)).isNotEqualTo(generate(8, 64 * 1024));
  }

  @Test
  void theProtobufAlternativeParsesTheSameLines() throws IOException {
    byte[] file = generate(42, 256 * 1024);

    long contents = new JsonFormatScan().scan(new ByteArrayInputStream(file));

    assertThat(contents)
        .isGreaterThanOrEqualTo(new String(file, StandardCharsets.UTF_8).split("\n").length);
  }

  private static byte[] generate(long seed, int bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes + SyntheticRequests.MAX_LINE_BYTES);
    long written = new SyntheticRequests(seed).write(out, bytes);
    assertThat(written).isEqualTo(out.size()).isGreaterThanOrEqualTo(bytes);
    return out.toByteArray();
  }
}
