package io.batchdrop.cloud.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StructuredLogTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void aReasonLongerThanTheLimitIsCutAndSaysHowMuchWasLeftOut() throws Exception {
    String body = "{\"error\":{\"message\":\"" + "x".repeat(5_000) + "\"}}";

    log().error().job("run-s1-a1").with("reason", body).log("job poll failed");

    JsonNode line = lastLine();
    String reason = line.get("reason").asText();
    assertThat(reason)
        .startsWith(body.substring(0, StructuredLog.MAX_FIELD_CHARS))
        .endsWith("… (" + (body.length() - StructuredLog.MAX_FIELD_CHARS) + " more characters)");
    assertThat(line.get("job_id").asText()).isEqualTo("run-s1-a1");
  }

  @Test
  void aReasonWithinTheLimitIsWrittenWhole_andACutNeverSplitsACharacter() throws Exception {
    String within = "y".repeat(StructuredLog.MAX_FIELD_CHARS);
    String emojiAtTheCut = "z".repeat(StructuredLog.MAX_FIELD_CHARS - 1) + "😀" + "tail";

    StructuredLog log = log();
    log.warning().with("reason", within).log("first");
    assertThat(lastLine().get("reason").asText()).isEqualTo(within);
    log.warning().with("reason", emojiAtTheCut).log("second");

    String cut = lastLine().get("reason").asText();
    assertThat(cut).startsWith("z".repeat(StructuredLog.MAX_FIELD_CHARS - 1) + "…");
    assertThat(cut).doesNotContain("\uFFFD");
  }

  /** A log writing to this test's buffer: the logger keeps the stream it was made with. */
  private StructuredLog log() {
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      return StructuredLog.forComponent("test");
    } finally {
      System.setOut(original);
    }
  }

  private JsonNode lastLine() throws Exception {
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }
}
