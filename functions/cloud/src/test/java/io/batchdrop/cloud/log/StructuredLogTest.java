package io.batchdrop.cloud.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiExceptionFactory;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.storage.StorageException;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
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

  @Test
  void aFailureNamesItsClassTheStatusTheServiceAnsweredAndItsInnermostCause_neverTheMessages()
      throws Exception {
    Throwable unavailable =
        new ExecutionException(
            FirestoreException.forApiException(
                ApiExceptionFactory.createException(
                    Status.UNAVAILABLE
                        .withDescription("prompt text the service quoted")
                        .asRuntimeException(),
                    GrpcStatusCode.of(Status.Code.UNAVAILABLE),
                    true)));

    StructuredLog log = log();
    log.warning().job("run-s1-a1").failure(unavailable).log("hand-off resend failed");
    JsonNode firestore = lastLine();
    log.warning().failure(new StorageException(503, "backend error")).log("read failed");
    JsonNode storage = lastLine();
    log.warning().failure(new IllegalStateException("no status here")).log("plain");
    JsonNode plain = lastLine();

    assertThat(firestore.get("error").asText()).isEqualTo("ExecutionException");
    assertThat(firestore.get("code").asText()).isEqualTo("UNAVAILABLE");
    assertThat(firestore.get("cause").asText()).isEqualTo("StatusRuntimeException");
    assertThat(firestore.toString()).doesNotContain("prompt text");
    assertThat(storage.get("code").asText()).isEqualTo("HTTP 503");
    assertThat(plain.get("error").asText()).isEqualTo("IllegalStateException");
    assertThat(plain.has("code")).isFalse();
    assertThat(plain.has("cause")).isFalse();
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
