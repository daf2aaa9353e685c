package io.batchdrop.publish;

import static io.batchdrop.publish.Lines.readOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RowVerdictTest {

  private static final String RESPONSE = Lines.response("ok");
  private static final String BAD_ROLE =
      "Bad Request: {\"error\": {\"code\": 400, \"message\": \"Please use a valid role: user,"
          + " model.\", \"status\": \"INVALID_ARGUMENT\"}}";

  private static RowVerdict verdict(String line) throws IOException {
    return RowVerdict.of(readOne(line));
  }

  @Test
  void anEmptyStatusAndANonEmptyResponseSucceeded() throws IOException {
    RowVerdict v = verdict(Lines.succeeded(1, "k", RESPONSE));

    assertThat(v.succeeded()).isTrue();
    assertThat(v.label()).isEqualTo("succeeded");
    assertThat(v.error()).isNull();
    assertThat(v.retryable()).isFalse();
  }

  @Test
  void anAbsentStatusAndANonEmptyResponseSucceeded() throws IOException {
    assertThat(verdict("{\"request\":" + Lines.request(1) + ",\"response\":" + RESPONSE + "}"))
        .isEqualTo(new RowVerdict(true, null));
  }

  @Test
  void aBadRequestStatusFailedWithItsCodeStatusAndMessage() throws IOException {
    RowVerdict v = verdict(Lines.failed(1, "k", BAD_ROLE));

    assertThat(v.label()).isEqualTo("failed");
    assertThat(v.error())
        .isEqualTo(new RowError(400, "INVALID_ARGUMENT", "Please use a valid role: user, model."));
    assertThat(v.retryable()).isFalse();
  }

  @Test
  void theSeedDocsFailureWithAnEmptyResponseObjectBesideItsStatusFailed() throws IOException {
    String line =
        "{\"status\":"
            + Lines.quote(BAD_ROLE)
            + ",\"processed_time\":\"2024-11-13T14:04:28.376+00:00\",\"request\":"
            + Lines.request(2)
            + ",\"response\":{}}";

    RowVerdict v = verdict(line);

    assertThat(v.succeeded()).isFalse();
    assertThat(v.error().code()).isEqualTo(400);
  }

  @Test
  void aStatusWinsOverANonEmptyResponse() throws IOException {
    String line =
        "{\"status\":\"Internal error\",\"request\":"
            + Lines.request(1)
            + ",\"response\":"
            + RESPONSE
            + "}";

    assertThat(verdict(line).succeeded()).isFalse();
  }

  @Test
  void noStatusAndAnEmptyResponseFailed() throws IOException {
    RowVerdict v = verdict("{\"request\":" + Lines.request(1) + ",\"response\":{}}");

    assertThat(v.succeeded()).isFalse();
    assertThat(v.error().message()).isEqualTo("the output row has an empty response and no status");
  }

  @Test
  void noStatusAndNoResponseFailed() throws IOException {
    RowVerdict v = verdict("{\"status\":\"\",\"request\":" + Lines.request(1) + "}");

    assertThat(v.error().message()).isEqualTo("the output row has neither a status nor a response");
  }

  @Test
  void aBlockedPromptWithoutCandidatesSucceededAndCarriesItsBlockReason() throws IOException {
    PredictionRow row =
        readOne(Lines.succeeded(1, "k", "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"));

    assertThat(RowVerdict.of(row).succeeded()).isTrue();
    assertThat(row.response().candidateCount()).isZero();
    assertThat(row.response().blockReason()).isEqualTo("SAFETY");
  }

  @ParameterizedTest
  @ValueSource(strings = {"MAX_TOKENS", "SAFETY", "RECITATION", "MALFORMED_FUNCTION_CALL"})
  void aNonStopFinishReasonSucceededAndTravelsWithTheRow(String reason) throws IOException {
    PredictionRow row =
        readOne(
            Lines.succeeded(1, "k", "{\"candidates\":[{\"finishReason\":\"" + reason + "\"}]}"));

    assertThat(RowVerdict.of(row).succeeded()).isTrue();
    assertThat(row.response().finishReason()).isEqualTo(reason);
  }

  @Test
  void aPlainStatusHasUnknownCodeAndStatusAndTheWholeStringAsMessage() {
    assertThat(RowError.parse("  Internal error occurred.  "))
        .isEqualTo(new RowError(null, null, "Internal error occurred."));
  }

  @Test
  void aLongPlainStatusIsCutToTheMessageBound() {
    RowError e = RowError.parse("x".repeat(100_000));

    assertThat(e.message()).hasSize(RowError.MAX_MESSAGE_CHARS).endsWith("…");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "😀".repeat(RowError.MAX_MESSAGE_CHARS);

    String message = new RowError(null, null, emoji).message();

    assertThat(message.codePoints().allMatch(c -> c == 0x1F600 || c == '…')).isTrue();
  }

  @Test
  void theJsonWithoutAReasonPhraseAndABareStatusObjectAreParsedToo() {
    assertThat(RowError.parse("{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}"))
        .isEqualTo(
            new RowError(
                429,
                "RESOURCE_EXHAUSTED",
                "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\"}}"));
    assertThat(RowError.parse("{\"code\":\"503\",\"message\":\"backend down\"}"))
        .isEqualTo(new RowError(503, null, "backend down"));
  }

  @Test
  void aGoogleRpcStatusIsReadAsItsHttpStatusAndNameSoQuotaIsRetryable() {
    RowError quota = RowError.parse("{\"code\":8,\"message\":\"Resource has been exhausted.\"}");

    assertThat(quota)
        .isEqualTo(new RowError(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted."));
    assertThat(quota.retryable()).isTrue();
    assertThat(RowError.parse("{\"code\":3,\"message\":\"bad\"}"))
        .isEqualTo(new RowError(400, "INVALID_ARGUMENT", "bad"));
    assertThat(RowError.parse("{\"code\":14,\"message\":\"down\"}").retryable()).isTrue();
    assertThat(RowError.parse("{\"code\":3,\"status\":\"X\",\"message\":\"m\"}"))
        .as("a status name given is kept, and the code with it")
        .isEqualTo(new RowError(3, "X", "m"));
  }

  @Test
  void brokenJsonAfterAReasonPhraseIsAPlainMessage() {
    String status = "Bad Request: {\"error\": {\"code\": 400, \"mess";

    assertThat(RowError.parse(status)).isEqualTo(new RowError(null, null, status));
  }

  @Test
  void anEmptyStatusStringParsesToAnExplicitMessage() {
    assertThat(RowError.parse("").message()).isEqualTo("(empty status)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Too Many Requests: {\"error\": {\"code\": 429, \"message\": \"quota\"}}",
        "{\"error\": {\"status\": \"RESOURCE_EXHAUSTED\", \"message\": \"quota\"}}",
        "Internal Server Error: {\"error\": {\"code\": 500, \"message\": \"oops\"}}",
        "Service Unavailable: {\"error\": {\"code\": 503, \"message\": \"down\"}}",
        "Gateway Timeout: {\"error\": {\"code\": 504, \"message\": \"slow\"}}",
        "{\"error\": {\"status\": \"INTERNAL\", \"message\": \"oops\"}}",
        "{\"error\": {\"status\": \"UNAVAILABLE\", \"message\": \"down\"}}",
        "{\"error\": {\"status\": \"DEADLINE_EXCEEDED\", \"message\": \"slow\"}}"
      })
  void quotaServerAndDeadlineErrorsAreRetryable(String status) {
    assertThat(RowError.parse(status).retryable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bad Request: {\"error\": {\"code\": 400, \"status\": \"INVALID_ARGUMENT\"}}",
        "{\"error\": {\"code\": 403, \"status\": \"PERMISSION_DENIED\"}}",
        "{\"error\": {\"code\": 404, \"status\": \"NOT_FOUND\"}}",
        "{\"code\": 3, \"message\": \"a google.rpc.Code alone: INVALID_ARGUMENT\"}",
        "Service temporarily unavailable"
      })
  void requestErrorsAndUnknownOnesAreNotRetryable(String status) {
    assertThat(RowError.parse(status).retryable()).isFalse();
  }

  @Test
  void aRetryableRowErrorMakesTheVerdictRetryable() throws IOException {
    RowVerdict v =
        verdict(
            Lines.failed(
                1,
                "k",
                "Too Many Requests: {\"error\": {\"code\": 429, \"message\": \"Resource exhausted\","
                    + " \"status\": \"RESOURCE_EXHAUSTED\"}}"));

    assertThat(v.retryable()).isTrue();
  }

  @Test
  void anUnattributableLineHasNoVerdict() throws IOException {
    PredictionRow row = readOne("not json");

    assertThatThrownBy(() -> RowVerdict.of(row))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("answers no row");
  }
}
