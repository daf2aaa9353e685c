package io.batchdrop.publish;

import static io.batchdrop.publish.Lines.readOne;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultDataTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResultContext JOB =
      new ResultContext("9c20aa", "9c20aa-s1-a2", 2, "gemini-2.5-flash");
  private static final String RESPONSE =
      "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"caf\\u00e9\"}]},"
          + "\"finishReason\":\"MAX_TOKENS\"}],\"x\":1.0E+2,"
          + "\"usageMetadata\":{\"promptTokenCount\":10,\"candidatesTokenCount\":5,"
          + "\"thoughtsTokenCount\":2,\"totalTokenCount\":17}}";

  private static String data(PredictionRow row) {
    return new String(ResultData.toBytes(JOB, row, RowVerdict.of(row)), UTF_8);
  }

  @Test
  void aSucceededRowCarriesEveryFieldAndItsResponseAsVertexWroteIt() throws IOException {
    PredictionRow row = readOne(Lines.succeeded(7, "greeting-en", RESPONSE));

    String data = data(row);
    JsonNode json = JSON.readTree(data);

    assertThat(data).contains("\"response\":" + RESPONSE + ",");
    assertThat(fieldNames(json))
        .containsExactly(
            "runId",
            "row",
            "key",
            "status",
            "attempt",
            "model",
            "jobId",
            "processedTime",
            "finishReason",
            "response",
            "error",
            "usage",
            "promptFeedback");
    assertThat(json.get("runId").asText()).isEqualTo("9c20aa");
    assertThat(json.get("row").asLong()).isEqualTo(7);
    assertThat(json.get("key").asText()).isEqualTo("greeting-en");
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("attempt").asInt()).isEqualTo(2);
    assertThat(json.get("model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(json.get("jobId").asText()).isEqualTo("9c20aa-s1-a2");
    assertThat(json.get("processedTime").asText()).isEqualTo("2024-11-13T14:04:28.376+00:00");
    assertThat(json.get("finishReason").asText()).isEqualTo("MAX_TOKENS");
    assertThat(json.get("error").isNull()).isTrue();
    assertThat(json.get("usage").toString())
        .isEqualTo(
            "{\"prompt\":10,\"cached\":0,\"candidates\":5,\"thoughts\":2,\"toolUse\":0,"
                + "\"total\":17}");
    assertThat(json.get("promptFeedback").isNull()).isTrue();
  }

  @Test
  void aFailedRowCarriesItsErrorAndNoUsage() throws IOException {
    PredictionRow row =
        readOne(
            Lines.failed(
                3,
                "k",
                "Bad Request: {\"error\": {\"code\": 400, \"message\": \"bad role\","
                    + " \"status\": \"INVALID_ARGUMENT\"}}"));

    JsonNode json = JSON.readTree(data(row));

    assertThat(json.get("status").asText()).isEqualTo("failed");
    assertThat(json.get("error").toString())
        .isEqualTo("{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"bad role\"}");
    assertThat(json.get("response").isNull()).isTrue();
    assertThat(json.get("usage").isNull()).isTrue();
    assertThat(json.get("finishReason").isNull()).isTrue();
  }

  @Test
  void anUnknownCodeIsNullInTheError() throws IOException {
    PredictionRow row = readOne(Lines.failed(3, "k", "Internal error"));

    assertThat(JSON.readTree(data(row)).get("error").toString())
        .isEqualTo("{\"code\":null,\"status\":null,\"message\":\"Internal error\"}");
  }

  @Test
  void aBlockedPromptCarriesItsPromptFeedback() throws IOException {
    PredictionRow row =
        readOne(Lines.succeeded(1, "k", "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}"));

    assertThat(JSON.readTree(data(row)).get("promptFeedback").toString())
        .isEqualTo("{\"blockReason\":\"SAFETY\"}");
  }

  @Test
  void aSpilledResponseIsReplacedByItsPayloadUri() throws IOException {
    String big = Lines.response("q".repeat(5000));
    List<PredictionRow> rows =
        Lines.readAll(
            Lines.utf8(Lines.succeeded(2, "k", big) + "\n"), 0, new MemorySpillTarget(), 1024);

    JsonNode json = JSON.readTree(data(rows.get(0)));

    assertThat(json.get("payload_uri").asText()).isEqualTo("mem://spill/0");
    assertThat(json.has("response")).isFalse();
    assertThat(json.get("finishReason").asText()).isEqualTo("STOP");
  }

  @Test
  void aPayloadUriFromTheCallerReplacesAnInMemoryResponse() throws IOException {
    PredictionRow row = readOne(Lines.succeeded(7, "k", RESPONSE));
    URI uri = URI.create("gs://work/runs/9c20aa/payloads/9c20aa-s1-a2/row-7.json");

    JsonNode json = JSON.readTree(ResultData.toBytes(JOB, row, RowVerdict.of(row), uri));

    assertThat(json.get("payload_uri").asText()).isEqualTo(uri.toString());
    assertThat(json.has("response")).isFalse();
  }

  @Test
  void aRowWithoutAnEchoedKeyHasANullKey() throws IOException {
    PredictionRow row = readOne("{\"request\":" + Lines.request(4) + ",\"response\":{\"a\":1}}");

    assertThat(JSON.readTree(data(row)).get("key").isNull()).isTrue();
  }

  @Test
  void anUnattributableLineHasNoResultData() throws IOException {
    PredictionRow row = readOne("garbage");

    assertThatThrownBy(
            () -> ResultData.toBytes(JOB, row, new RowVerdict(false, RowError.parse("x"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyRowShapeIsWrittenToTheByteAsJacksonWritesIt() throws IOException {
    // The everyday rows are written without Jackson's generator; these are the shapes and strings
    // that decide which way a row goes, each compared with the generator's bytes.
    String[] keys = {
      "row-1",
      "doc-42",
      "",
      "a \\\"quoted\\\" key",
      "back\\\\slash",
      "tab\\there",
      "caf\u00e9",
      "\u6771\u4eac",
      "\\u0001ctl",
      "~ ascii edge !",
      "x".repeat(3000)
    };
    String[] responses = {
      RESPONSE,
      "{}",
      "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"}}",
      "{\"promptFeedback\":{\"blockReason\":\"odd \\\"reason\\\"\"}}",
      "{\"candidates\":[{\"finishReason\":\"MAX_\\u00e9\"}]}",
      "{\"usageMetadata\":{\"promptTokenCount\":9223372036854775807,\"totalTokenCount\":0}}",
      "null"
    };
    ResultContext[] contexts = {
      JOB, new ResultContext("r\"un", "j\\ob-\u00e9", 12, "\u6a21\u578b \"x\"")
    };
    int compared = 0;
    for (ResultContext context : contexts) {
      for (String key : keys) {
        for (String response : responses) {
          String line =
              "{\"status\":\"\",\"processed_time\":\"2024-11-13T14:04:28.376+00:00\",\"key\":"
                  + "\""
                  + key
                  + "\",\"request\":"
                  + Lines.request(5)
                  + ",\"response\":"
                  + response
                  + "}";
          PredictionRow row = readOne(line);
          RowVerdict verdict = RowVerdict.of(row);
          for (URI uri : new URI[] {null, URI.create("gs://work/p/row-5.json")}) {
            assertThat(new String(new ResultData(context).toBytes(row, verdict, uri), UTF_8))
                .as("key %s, response %s, uri %s", key, response, uri)
                .isEqualTo(new String(ResultData.generated(context, row, verdict, uri), UTF_8));
            compared++;
          }
        }
      }
    }
    PredictionRow failed = readOne(Lines.failed(3, "k", "Internal error"));
    RowVerdict verdict = RowVerdict.of(failed);
    assertThat(new ResultData(JOB).toBytes(failed, verdict, null))
        .isEqualTo(ResultData.generated(JOB, failed, verdict, null));
    PredictionRow noTime = readOne("{\"request\":" + Lines.request(4) + ",\"response\":{\"a\":1}}");
    assertThat(new ResultData(JOB).toBytes(noTime, RowVerdict.of(noTime), null))
        .isEqualTo(ResultData.generated(JOB, noTime, RowVerdict.of(noTime), null));
    assertThat(compared).isEqualTo(2 * 11 * 7 * 2);
  }

  private static List<String> fieldNames(JsonNode json) {
    List<String> names = new java.util.ArrayList<>();
    json.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
