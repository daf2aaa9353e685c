package io.batchdrop.publish;

import static io.batchdrop.publish.Lines.utf8;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSkimTest {

  private static final ObjectMapper JSON = new ObjectMapper(PublishJson.factory());

  @Test
  void theRequestOfAVertexLineIsFoundExactlyWithItsRow() {
    String line = Lines.succeeded(7, "k", Lines.response("hi"));
    byte[] bytes = utf8(line);

    RequestSkim.Found found = RequestSkim.find(bytes, 0, bytes.length);

    assertThat(found).isNotNull();
    assertThat(new String(bytes, found.from(), found.to() - found.from(), UTF_8))
        .isEqualTo(Lines.request(7));
    assertThat(found.row()).isEqualTo(7);
  }

  @Test
  void aRequestWithoutARowLabelIsFoundWithRowZero() {
    byte[] bytes = utf8("{\"status\":\"\",\"request\":{\"contents\":[],\"labels\":{\"a\":\"b\"}}}");

    assertThat(RequestSkim.find(bytes, 0, bytes.length).row()).isZero();
  }

  @Test
  void escapesNonAsciiNumbersAndNestingInsideTheRequestAreSkipped() {
    String request =
        "{ \"contents\" : [ {\"role\":\"user\",\"parts\":[{\"text\":\"a \\\"q\\\" \\\\ \\n \\u00e9"
            + " \\ud83d\\ude00 région データ 😀\"}]} ],\"generationConfig\":{\"temperature\":-0.25e+1,"
            + "\"topK\":0,\"stop\":[true,false,null,[],{\"k\\u0065y\":1}]},"
            + "\"labels\":{\"batchdrop_row\":\"row-12\",\"team\":\"x\"}\t}";
    byte[] bytes = utf8("{\"request\":" + request + ",\"response\":{}}");

    RequestSkim.Found found = RequestSkim.find(bytes, 0, bytes.length);

    assertThat(new String(bytes, found.from(), found.to() - found.from(), UTF_8))
        .isEqualTo(request);
    assertThat(found.row()).isEqualTo(12);
  }

  @Test
  void membersBeforeTheRequestAreSkippedToIt() {
    byte[] bytes =
        utf8(
            "{\"response\":{\"candidates\":[{\"finishReason\":\"STOP\"}]},\"x\":[1,2.5],"
                + "\"request\":"
                + Lines.request(3)
                + "}");

    assertThat(RequestSkim.find(bytes, 0, bytes.length).row()).isEqualTo(3);
  }

  /** Each is a line the parser must judge: some are valid JSON, none is the skim's to answer. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-1\"}", // cut inside the request
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-1\",}}}", // trailing comma
        "{\"request\":{\"a\":01,\"labels\":{\"batchdrop_row\":\"row-1\"}}}", // leading zero
        "{\"request\":{\"a\":1.,\"labels\":{\"batchdrop_row\":\"row-1\"}}}",
        "{\"request\":{\"a\":tru,\"labels\":{\"batchdrop_row\":\"row-1\"}}}",
        "{\"request\":{\"a\":\"\\x\",\"labels\":{\"batchdrop_row\":\"row-1\"}}}", // bad escape
        "{\"request\":{\"a\":\"\\u12g4\",\"labels\":{\"batchdrop_row\":\"row-1\"}}}",
        "{\"request\":{\"a\":\"tab\there\",\"labels\":{\"batchdrop_row\":\"row-1\"}}}",
        "{\"request\":{\"a\" 1,\"labels\":{\"batchdrop_row\":\"row-1\"}}}", // no colon
        "{\"request\":{\"lab\\u0065ls\":{\"batchdrop_row\":\"row-1\"}}}", // escaped name
        "{\"re\\u0071uest\":{\"labels\":{\"batchdrop_row\":\"row-1\"}}}",
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-\\u0031\"}}}", // escaped label
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-007\"}}}", // not canonical
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-0\"}}}",
        "{\"request\":{\"labels\":{\"batchdrop_row\":7}}}",
        "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-1\",\"batchdrop_row\":\"row-2\"}}}",
        "{\"request\":\"not an object\",\"x\":{}}",
        "{\"request\":null}",
        "{\"response\":{},\"status\":\"\"}", // no request at all
        "{}",
        "[{\"request\":{}}]",
      })
  void theParserJudgesWhatTheSkimCannotBeSureOf(String line) {
    byte[] bytes = utf8(line);

    assertThat(RequestSkim.find(bytes, 0, bytes.length)).isNull();
  }

  @Test
  void malformedUtf8InsideTheRequestIsTheParsersToJudge() {
    // C3 28: a lead byte without its continuation; C0 80: overlong; ED A0 80: a surrogate;
    // F4 90 80 80: past U+10FFFF; FF: never UTF-8.
    int[][] bad = {
      {0xC3, 0x28}, {0xC0, 0x80}, {0xED, 0xA0, 0x80}, {0xF4, 0x90, 0x80, 0x80}, {0xFF}
    };
    for (int[] sequence : bad) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      line.writeBytes(utf8("{\"request\":{\"text\":\"caf"));
      for (int b : sequence) {
        line.write(b);
      }
      line.writeBytes(utf8("\",\"labels\":{\"batchdrop_row\":\"row-1\"}}}"));
      byte[] bytes = line.toByteArray();

      assertThat(RequestSkim.find(bytes, 0, bytes.length))
          .as("%s", Arrays.toString(sequence))
          .isNull();
    }
  }

  @Test
  void nestingDeeperThanItsLimitAndOverlongNumbersAndNamesAreTheParsersToJudge() {
    String deep = "[".repeat(RequestSkim.MAX_DEPTH + 1) + "]".repeat(RequestSkim.MAX_DEPTH + 1);
    String number = "1".repeat(RequestSkim.MAX_NUMBER_CHARS + 1);
    String name = "n".repeat(RequestSkim.MAX_NAME_BYTES + 1);
    for (String value : List.of(deep, number, "{\"" + name + "\":1}")) {
      byte[] bytes = utf8("{\"request\":{\"a\":" + value + "}}");

      assertThat(RequestSkim.find(bytes, 0, bytes.length)).isNull();
    }
  }

  @Test
  void bytesPastTheGivenEndAreNeverRead() {
    byte[] bytes = utf8("{\"request\":" + Lines.request(4) + "}");

    assertThat(RequestSkim.find(bytes, 0, bytes.length - 2)).isNull();
    assertThat(RequestSkim.find(bytes, 0, bytes.length - 1).row()).isEqualTo(4);
  }

  /**
   * Never looser than the parser: of thousands of damaged lines (a byte changed, inserted or
   * removed; fixed seed), every request the skim answers for is one JSON value to the parser, with
   * the same row label.
   */
  @Test
  void everyRequestTheSkimAnswersForTheParserReadsAsOneValueWithTheSameRow() throws IOException {
    byte[] base =
        utf8(
            "{\"status\":\"\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                + "\"q \\\"1\\\" é データ\"}]}],\"generationConfig\":{\"temperature\":0.2,"
                + "\"maxOutputTokens\":1024,\"stop\":[true,null]},\"labels\":{\"team\":\"a\","
                + "\"batchdrop_row\":\"row-31\"}},\"response\":{}}");
    byte[] alphabet = utf8("{}[]\":,\\-+.eE0123456789tfnulrsa \t\r/u");
    Random random = new Random(20261201);
    int answered = 0;
    List<String> looser = new ArrayList<>();
    for (int n = 0; n < 20_000; n++) {
      byte[] damaged = damage(base, random, alphabet);
      RequestSkim.Found found = RequestSkim.find(damaged, 0, damaged.length);
      if (found == null) {
        continue;
      }
      answered++;
      byte[] request = Arrays.copyOfRange(damaged, found.from(), found.to());
      try {
        JsonNode tree = JSON.readTree(request);
        String label = tree.path("labels").path("batchdrop_row").textValue();
        long row = label == null ? 0 : RowLabels.parse(label);
        if (!tree.isObject() || row != found.row()) {
          looser.add(new String(request, UTF_8));
        }
      } catch (IOException e) {
        looser.add(new String(request, UTF_8) + " -> " + e.getMessage());
      }
    }
    assertThat(looser).isEmpty();
    assertThat(answered).as("damaged lines the skim still answered for").isGreaterThan(1000);
  }

  private static byte[] damage(byte[] base, Random random, byte[] alphabet) {
    int at = random.nextInt(base.length);
    byte b =
        random.nextInt(8) == 0
            ? (byte) random.nextInt(256)
            : alphabet[random.nextInt(alphabet.length)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (random.nextInt(3)) {
      case 0 -> {
        out.write(base, 0, at);
        out.write(b);
        out.write(base, at + 1, base.length - at - 1);
      }
      case 1 -> {
        out.write(base, 0, at);
        out.write(b);
        out.write(base, at, base.length - at);
      }
      default -> {
        out.write(base, 0, at);
        out.write(base, at + 1, base.length - at - 1);
      }
    }
    return out.toByteArray();
  }
}
