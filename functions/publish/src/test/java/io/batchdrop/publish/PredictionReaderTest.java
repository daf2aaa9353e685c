package io.batchdrop.publish;

import static io.batchdrop.publish.Lines.body;
import static io.batchdrop.publish.Lines.readAll;
import static io.batchdrop.publish.Lines.readOne;
import static io.batchdrop.publish.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.pricing.TokenUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PredictionReaderTest {

  private static final String RESPONSE = Lines.response("Hello!");

  @Test
  void aSucceededLineYieldsItsRowKeyStatusTimeAndTheResponseBytesExactly() throws IOException {
    PredictionRow row = readOne(Lines.succeeded(7, "greeting-en", RESPONSE));

    assertThat(row.attributable()).isTrue();
    assertThat(row.row()).isEqualTo(7);
    assertThat(row.key()).isEqualTo("greeting-en");
    assertThat(row.status()).isEmpty();
    assertThat(row.processedTime()).isEqualTo("2024-11-13T14:04:28.376+00:00");
    assertThat(body(row)).isEqualTo(RESPONSE);
    assertThat(row.response().inMemory()).isTrue();
    assertThat(row.response().length()).isEqualTo(utf8(RESPONSE).length);
  }

  @Test
  void theResponseFirstAndTheRequestLastYieldsTheSameRow() throws IOException {
    PredictionRow notebookOrder = readOne(Lines.succeeded(3, "k", RESPONSE));
    PredictionRow reversed = readOne(Lines.succeededResponseFirst(3, "k", RESPONSE));

    assertThat(reversed.row()).isEqualTo(notebookOrder.row());
    assertThat(reversed.key()).isEqualTo(notebookOrder.key());
    assertThat(reversed.status()).isEqualTo(notebookOrder.status());
    assertThat(reversed.processedTime()).isEqualTo(notebookOrder.processedTime());
    assertThat(body(reversed)).isEqualTo(body(notebookOrder)).isEqualTo(RESPONSE);
    assertThat(reversed.response().usage()).isEqualTo(notebookOrder.response().usage());
  }

  @Test
  void whitespaceAroundTheResponseIsNotPartOfItsBytes() throws IOException {
    String spaced =
        "{ \"request\" : " + Lines.request(1) + " , \"response\" :  {}  ,\"status\":\"\"}";
    String tight = "{\"request\":" + Lines.request(2) + ",\"response\":{\"a\":[1,2.50,\"x\"]}}";

    assertThat(body(readOne(spaced))).isEqualTo("{}");
    assertThat(body(readOne(tight))).isEqualTo("{\"a\":[1,2.50,\"x\"]}");
  }

  @Test
  void theResponseIsCopiedAsWrittenWithEscapesNumbersAndNonAsciiUntouched() throws IOException {
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"caf\\u00e9 \\\"q\\\" 用一句话 😀\\n\"}]}}],"
            + "\"x\":1.0E+2,\"y\":-0.000,\"z\":12345678901234567890123}";

    assertThat(body(readOne(Lines.succeeded(1, "k", response)))).isEqualTo(response);
  }

  @Test
  void eachRowEndsJustPastItsNewlineAndTheNextStartsThere() throws IOException {
    String a = Lines.succeeded(1, "a", RESPONSE);
    String b = Lines.failed(2, "b", "Bad Request: {}");
    List<PredictionRow> rows = readAll(a + "\n" + b + "\n");

    assertThat(rows).extracting(PredictionRow::offset).containsExactly(0L, a.length() + 1L);
    assertThat(rows)
        .extracting(PredictionRow::endOffset)
        .containsExactly(a.length() + 1L, a.length() + 1L + b.length() + 1);
  }

  @Test
  void aLastLineWithoutNewlineEndsAtTheEndOfTheFile() throws IOException {
    String a = Lines.succeeded(1, "a", RESPONSE);
    String b = Lines.succeeded(2, "b", RESPONSE);

    List<PredictionRow> rows = readAll(a + "\n" + b);

    assertThat(rows).extracting(PredictionRow::row).containsExactly(1L, 2L);
    assertThat(rows.get(1).endOffset()).isEqualTo(a.length() + 1L + b.length());
  }

  @Test
  void resumingFromEveryRecordedOffsetYieldsExactlyTheRemainingRows() throws IOException {
    byte[] file = mixedFile();
    MemorySpillTarget spills = new MemorySpillTarget();
    List<PredictionRow> all = readAll(file, 0, spills, 64 * 1024);
    assertThat(all).hasSize(40);
    assertThat(spills.opened).isNotEmpty();
    List<String> expected = summaries(all, spills);

    for (int i = 0; i < all.size(); i++) {
      MemorySpillTarget resumedSpills = new MemorySpillTarget();
      List<PredictionRow> rest = readAll(file, all.get(i).endOffset(), resumedSpills, 64 * 1024);
      assertThat(summaries(rest, resumedSpills)).isEqualTo(expected.subList(i + 1, all.size()));
    }
  }

  @Test
  void offsetsAreFileOffsetsWhenTheStreamStartsMidFile() throws IOException {
    byte[] file = mixedFile();
    List<PredictionRow> all = readAll(file, 0, new MemorySpillTarget(), 64 * 1024);
    long from = all.get(9).endOffset();

    List<PredictionRow> rest = readAll(file, from, new MemorySpillTarget(), 64 * 1024);

    assertThat(rest.get(0).offset()).isEqualTo(all.get(10).offset());
    assertThat(rest.get(rest.size() - 1).endOffset()).isEqualTo(file.length);
  }

  @Test
  void theReaderOffsetAfterARowIsThatRowsEndOffset() throws IOException {
    byte[] file = mixedFile();
    try (PredictionReader reader =
        new PredictionReader(new java.io.ByteArrayInputStream(file), 0, new MemorySpillTarget())) {
      for (PredictionRow r = reader.next(); r != null; r = reader.next()) {
        assertThat(reader.offset()).isEqualTo(r.endOffset());
      }
      assertThat(reader.offset()).isEqualTo(file.length);
    }
  }

  @Test
  void aLineThatIsNotJsonIsUnattributableAndTheFileGoesOn() throws IOException {
    String bad = "this is not json";
    String good = Lines.succeeded(2, "b", RESPONSE);

    List<PredictionRow> rows = readAll(bad + "\n" + good + "\n");

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).attributable()).isFalse();
    assertThat(rows.get(0).row()).isZero();
    assertThat(rows.get(0).problem()).contains("does not start with '{'");
    assertThat(rows.get(0).endOffset()).isEqualTo(bad.length() + 1L);
    assertThat(rows.get(1).row()).isEqualTo(2);
  }

  @Test
  void aTruncatedLineCostsOnlyItselfNotTheLineAfterIt() throws IOException {
    String whole = Lines.succeeded(1, "a", RESPONSE);
    String truncated = whole.substring(0, whole.length() / 2);
    String next = Lines.succeeded(2, "b", RESPONSE);

    List<PredictionRow> rows = readAll(truncated + "\n" + next + "\n");

    assertThat(rows.get(0).attributable()).isFalse();
    assertThat(rows.get(0).problem()).startsWith("the line is not valid JSON");
    assertThat(rows.get(1).row()).isEqualTo(2);
    assertThat(body(rows.get(1))).isEqualTo(RESPONSE);
  }

  @Test
  void aLineWithoutARowLabelIsUnattributable() throws IOException {
    PredictionRow row =
        readOne("{\"status\":\"\",\"key\":\"k\",\"request\":{\"contents\":[]},\"response\":{}}");

    assertThat(row.attributable()).isFalse();
    assertThat(row.problem()).contains("request.labels.batchdrop_row is missing");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"\"row-0\"", "\"row-abc\"", "\"ROW-5\"", "\"row-\"", "\"row-007\"", "\"\"", "5"})
  void aRowLabelThatStagingCouldNotHaveWrittenIsRejected(String label) throws IOException {
    PredictionRow row =
        readOne("{\"request\":{\"labels\":{\"batchdrop_row\":" + label + "}},\"response\":{}}");

    assertThat(row.attributable()).isFalse();
    assertThat(row.problem()).contains("expected \"row-N\" with N >= 1");
  }

  @Test
  void twoDifferentRowLabelsInOneLineAreRejected() throws IOException {
    PredictionRow row =
        readOne(
            "{\"request\":{\"labels\":{\"batchdrop_row\":\"row-1\",\"batchdrop_row\":\"row-2\"}}}");

    assertThat(row.problem()).contains("twice");
  }

  @Test
  void aJsonArrayLineAndAJsonStringLineAreUnattributable() throws IOException {
    List<PredictionRow> rows = readAll("[1,2]\n\"row-1\"\n");

    assertThat(rows).hasSize(2).allMatch(r -> !r.attributable());
  }

  @Test
  void twoObjectsOnOneLineAreUnattributable() throws IOException {
    String line = Lines.succeeded(1, "a", RESPONSE);

    PredictionRow row = readOne(line + " " + line);

    assertThat(row.problem()).contains("more follows the JSON object");
  }

  @Test
  void twoResponsesInOneLineAreUnattributable() throws IOException {
    PredictionRow row =
        readOne("{\"request\":" + Lines.request(1) + ",\"response\":{},\"response\":{\"a\":1}}");

    assertThat(row.problem()).contains("two response members");
  }

  @Test
  void aResponseThatIsNotAnObjectIsUnattributable() throws IOException {
    PredictionRow row = readOne("{\"request\":" + Lines.request(1) + ",\"response\":\"hi\"}");

    assertThat(row.problem()).contains("response is a JSON VALUE_STRING; expected an object");
  }

  @Test
  void aNullResponseAndANullStatusAreAbsent() throws IOException {
    PredictionRow row =
        readOne("{\"status\":null,\"request\":" + Lines.request(4) + ",\"response\":null}");

    assertThat(row.row()).isEqualTo(4);
    assertThat(row.status()).isNull();
    assertThat(row.response()).isNull();
  }

  @Test
  void aLineBrokenInsideTheRequestSaysWhereAndWhatWasExpectedWithoutTheRequestText()
      throws IOException {
    // The quotes around the prompt were lost: Jackson's own message quotes the words it met.
    String line =
        "{\"key\":\"k\",\"request\":{\"contents\":[{\"parts\":[{\"text\": secretprompt"
            + " words}]}]}}";

    PredictionRow row = readOne(line);

    assertThat(row.attributable()).isFalse();
    assertThat(row.problem())
        .startsWith("the line is not valid JSON: an unquoted word")
        .contains("was expecting (JSON String")
        .doesNotContain("secretprompt")
        .doesNotContain("words");
    java.util.regex.Matcher stopped =
        java.util.regex.Pattern.compile("stopped at byte (\\d+) of the line")
            .matcher(row.problem());
    assertThat(stopped.find()).isTrue();
    assertThat(Integer.parseInt(stopped.group(1)))
        .as("in the unquoted word or just past it")
        .isBetween(line.indexOf("secretprompt"), line.indexOf(" words") + 1);
  }

  @Test
  void aLineWithAStrayCharacterInTheRequestDoesNotQuoteIt() throws IOException {
    String line = "{\"key\":\"k\",\"request\":{\"contents\":[{\"parts\":[{\"text\":\"a\"} Q]}]}}";

    PredictionRow row = readOne(line);

    assertThat(row.problem())
        .startsWith("the line is not valid JSON")
        .contains("expecting")
        .doesNotContain("'Q'");
  }

  @Test
  void invalidUtf8IsUnattributableAndTheNextLineStillReads() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(utf8("{\"key\":\"caf"));
    file.write(0xC3);
    file.write(0x28);
    file.writeBytes(utf8("\",\"request\":" + Lines.request(1) + "}\n"));
    file.writeBytes(utf8(Lines.succeeded(2, "b", RESPONSE) + "\n"));

    List<PredictionRow> rows = readAll(file.toByteArray(), 0, new MemorySpillTarget(), 1 << 20);

    assertThat(rows.get(0).problem()).startsWith("the line is not valid JSON");
    assertThat(rows.get(1).row()).isEqualTo(2);
  }

  @Test
  void blankLinesAndCrlfEndingsAreNotRows() throws IOException {
    String a = Lines.succeeded(1, "a", RESPONSE);
    String b = Lines.succeeded(2, "b", RESPONSE);

    List<PredictionRow> rows = readAll("\n  \n" + a + "\r\n\r\n\t\n" + b + "\r\n");

    assertThat(rows).extracting(PredictionRow::row).containsExactly(1L, 2L);
    assertThat(body(rows.get(1))).isEqualTo(RESPONSE);
  }

  @Test
  void anEmptyStreamHasNoRows() throws IOException {
    assertThat(readAll("")).isEmpty();
    assertThat(readAll("\n\n   ")).isEmpty();
  }

  @Test
  void allSixTokenCountsAreReadAndAbsentOnesAreZero() throws IOException {
    String all =
        "{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":100,"
            + "\"cachedContentTokenCount\":40,\"candidatesTokenCount\":20,\"thoughtsTokenCount\":7,"
            + "\"toolUsePromptTokenCount\":3,\"totalTokenCount\":130,"
            + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":100}]}}";
    String some = "{\"candidates\":[{}],\"usageMetadata\":{\"promptTokenCount\":\"12\"}}";

    assertThat(readOne(Lines.succeeded(1, "k", all)).response().usage())
        .isEqualTo(new TokenUsage(100, 40, 20, 7, 3, 130));
    assertThat(readOne(Lines.succeeded(1, "k", some)).response().usage())
        .isEqualTo(new TokenUsage(12, 0, 0, 0, 0, 0));
  }

  @Test
  void aResponseWithoutUsageMetadataHasNoUsage() throws IOException {
    PredictionRow row = readOne(Lines.succeeded(1, "k", "{\"candidates\":[{}]}"));

    assertThat(row.response().usage()).isNull();
  }

  @Test
  void nonsenseTokenCountsCountZeroAndDoNotCostTheRow() throws IOException {
    String response =
        "{\"usageMetadata\":{\"promptTokenCount\":-5,\"candidatesTokenCount\":1.5,"
            + "\"totalTokenCount\":99999999999999999999999,\"thoughtsTokenCount\":\"x\","
            + "\"cachedContentTokenCount\":{\"a\":1},\"toolUsePromptTokenCount\":5000000000}}";

    PredictionRow row = readOne(Lines.succeeded(1, "k", response));

    assertThat(row.attributable()).isTrue();
    assertThat(row.response().usage()).isEqualTo(TokenUsage.ZERO);
  }

  @Test
  void theFinishReasonIsTheFirstCandidatesAndTheCandidatesAreCounted() throws IOException {
    String response =
        "{\"candidates\":[{\"content\":{},\"finishReason\":\"MAX_TOKENS\"},"
            + "{\"finishReason\":\"STOP\"}]}";

    ResponseBody body = readOne(Lines.succeeded(1, "k", response)).response();

    assertThat(body.finishReason()).isEqualTo("MAX_TOKENS");
    assertThat(body.candidateCount()).isEqualTo(2);
  }

  @Test
  void aBlockedPromptHasNoCandidatesAndItsBlockReason() throws IOException {
    String response =
        "{\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[]},"
            + "\"usageMetadata\":{\"promptTokenCount\":8,\"totalTokenCount\":8}}";

    ResponseBody body = readOne(Lines.succeeded(1, "k", response)).response();

    assertThat(body.candidateCount()).isZero();
    assertThat(body.blockReason()).isEqualTo("SAFETY");
    assertThat(body.finishReason()).isNull();
    assertThat(body.isEmpty()).isFalse();
  }

  @Test
  void snakeCaseResponseMembersAreReadToo() throws IOException {
    String response =
        "{\"candidates\":[{\"finish_reason\":\"SAFETY\"}],\"usage_metadata\":"
            + "{\"prompt_token_count\":5,\"total_token_count\":6},"
            + "\"prompt_feedback\":{\"block_reason\":\"OTHER\"}}";

    ResponseBody body = readOne(Lines.succeeded(1, "k", response)).response();

    assertThat(body.finishReason()).isEqualTo("SAFETY");
    assertThat(body.usage()).isEqualTo(new TokenUsage(5, 0, 0, 0, 0, 6));
    assertThat(body.blockReason()).isEqualTo("OTHER");
  }

  @Test
  void aKeyVertexTurnedIntoANumberIsKeptAsItsText() throws IOException {
    PredictionRow row = readOne("{\"key\":123,\"request\":" + Lines.request(1) + "}");

    assertThat(row.key()).isEqualTo("123");
  }

  @Test
  void aLineWithoutAKeyHasANullKey() throws IOException {
    PredictionRow row = readOne("{\"request\":" + Lines.request(1) + ",\"response\":{}}");

    assertThat(row.key()).isNull();
  }

  @Test
  void aStatusObjectIsKeptAsItsJsonSoItsCodeStillCounts() throws IOException {
    PredictionRow row =
        readOne(
            "{\"status\":{\"code\":429,\"message\":\"quota\"},\"request\":"
                + Lines.request(1)
                + "}");

    assertThat(row.status()).isEqualTo("{\"code\":429,\"message\":\"quota\"}");
  }

  @Test
  void aHugeEchoedRequestIsSkippedWithoutBeingRead() throws IOException {
    String media = "A".repeat(5 * 1024 * 1024);
    String line =
        "{\"request\":{\"contents\":[{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
            + "\"data\":\""
            + media
            + "\"}}]}],\"labels\":{\"batchdrop_row\":\"row-9\"}},\"response\":"
            + RESPONSE
            + "}";

    // 5 MiB is past the 1 MiB the reader ever reads as a string: it was skipped, not read.
    PredictionRow row = readOne(line);

    assertThat(row.row()).isEqualTo(9);
    assertThat(body(row)).isEqualTo(RESPONSE);
  }

  @Test
  void aStringOutsideTheResponseLongerThanTheReadLimitMakesTheLineUnattributable()
      throws IOException {
    String status = "x".repeat(PublishJson.MAX_READ_STRING + 1);

    PredictionRow row = readOne(Lines.failed(1, "k", status));

    assertThat(row.attributable()).isFalse();
    assertThat(row.problem()).startsWith("the line is not valid JSON");
  }

  @Test
  void unknownTopLevelMembersAreSkipped() throws IOException {
    PredictionRow row =
        readOne(
            "{\"custom_id\":\"or-1\",\"extra\":{\"a\":[{}]},\"request\":"
                + Lines.request(5)
                + ",\"response\":"
                + RESPONSE
                + "}");

    assertThat(row.row()).isEqualTo(5);
    assertThat(body(row)).isEqualTo(RESPONSE);
  }

  /**
   * 40 lines: succeeded in both member orders, failed, unattributable, blank lines, CRLF, and
   * responses of 1 to 200 KB so captures cross the reader's buffer.
   */
  static byte[] mixedFile() {
    StringBuilder file = new StringBuilder();
    for (int row = 1; row <= 40; row++) {
      String text = "x".repeat((row * 7919) % 200_000);
      String response = Lines.response(text);
      String line =
          switch (row % 5) {
            case 0 -> Lines.succeeded(row, "k" + row, response);
            case 1 -> Lines.succeededResponseFirst(row, "k" + row, response);
            case 2 -> Lines.failed(row, "k" + row, "Bad Request: {\"error\":{\"code\":400}}");
            case 3 -> "{\"request\":{\"labels\":{}},\"response\":" + response + "}";
            default -> "not json " + row;
          };
      file.append(line).append(row % 4 == 0 ? "\r\n" : "\n");
      if (row % 6 == 0) {
        file.append("\n");
      }
    }
    return utf8(file.toString());
  }

  private static List<String> summaries(List<PredictionRow> rows, MemorySpillTarget spills) {
    List<String> out = new ArrayList<>();
    for (PredictionRow r : rows) {
      ResponseBody response = r.response();
      String body =
          response == null
              ? null
              : response.inMemory()
                  ? body(r)
                  : response.spillUri() + ":" + spills.text(response.spillUri());
      out.add(
          r.row()
              + "|"
              + r.key()
              + "|"
              + r.offset()
              + "|"
              + r.endOffset()
              + "|"
              + r.status()
              + "|"
              + r.problem()
              + "|"
              + body);
    }
    return out;
  }

  @Test
  void damagedLinesYieldTheSameRowsReadInPlaceAsStreamed() throws IOException {
    // Most lines are parsed where they lie in the buffer and the rest streamed; both ways must give
    // the same rows, offsets, problems and bytes. Lines are damaged at random (cut, an LF or CR put
    // in, a byte changed, two joined), mixed with whole ones, long ones and ones past the buffer.
    java.util.Random random = new java.util.Random(11);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int row = 1; row <= 3000; row++) {
      String text = "answer " + row + " caf\u00e9 \u6771\u4eac ".repeat(random.nextInt(40));
      if (row % 500 == 0) {
        text = "z".repeat(40_000 + random.nextInt(100_000)); // past what is read in place
      }
      String line =
          random.nextBoolean()
              ? Lines.succeeded(row, "k" + row, Lines.response(text))
              : Lines.succeededResponseFirst(row, "k" + row, Lines.response(text));
      byte[] bytes = utf8(line);
      int damage = random.nextInt(12);
      int at = random.nextInt(bytes.length);
      switch (damage) {
        case 0 -> bytes = java.util.Arrays.copyOf(bytes, at);
        case 1 -> bytes = insert(bytes, at, (byte) '\n');
        case 2 -> bytes = insert(bytes, at, (byte) '\r');
        case 3 -> bytes[at] = (byte) random.nextInt(256);
        case 4 -> bytes = insert(bytes, bytes.length, (byte) ' ');
        case 5 -> bytes = insert(bytes, bytes.length, (byte) 'x');
        default -> {}
      }
      file.writeBytes(bytes);
      file.write(random.nextInt(20) == 0 ? ' ' : '\n');
      if (random.nextInt(50) == 0) {
        file.write('\n');
      }
    }
    byte[] bytes = file.toByteArray();

    long[] readInPlace = new long[1];
    List<String> inPlace = describe(bytes, true, readInPlace);
    List<String> streamed = describe(bytes, false, new long[1]);

    assertThat(inPlace).hasSize(streamed.size()).isEqualTo(streamed);
    // Not vacuous: most whole lines went the in-place path, the damaged and long ones the other.
    assertThat(readInPlace[0]).isBetween(1000L, 2900L);
    assertThat(streamed.stream().filter(r -> r.startsWith("problem")).count()).isGreaterThan(200);
  }

  private static byte[] insert(byte[] bytes, int at, byte b) {
    byte[] out = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, out, 0, at);
    out[at] = b;
    System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
    return out;
  }

  private static List<String> describe(byte[] file, boolean inPlace, long[] rowsInPlace)
      throws IOException {
    List<String> rows = new ArrayList<>();
    // A stream that hands out odd amounts, so lines straddle the buffer's refills.
    java.io.InputStream in =
        new java.io.ByteArrayInputStream(file) {
          private int turn;

          @Override
          public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + (turn++ * 7919) % 70_000));
          }
        };
    try (PredictionReader reader =
        new PredictionReader(in, 0, new MemorySpillTarget(), 64 * 1024, false, inPlace)) {
      for (PredictionRow r = reader.next(); r != null; r = reader.next()) {
        rows.add(
            (r.attributable() ? "row " + r.row() : "problem " + r.problem())
                + " "
                + r.offset()
                + ".."
                + r.endOffset()
                + " key="
                + r.key()
                + " status="
                + r.status()
                + " time="
                + r.processedTime()
                + " "
                + r.response()
                + (r.response() != null && r.response().inMemory()
                    ? " " + java.util.HexFormat.of().formatHex(r.response().toByteArray())
                    : ""));
      }
      rows.add("end " + reader.offset());
      rowsInPlace[0] = reader.rowsInPlace();
    }
    return rows;
  }
}
