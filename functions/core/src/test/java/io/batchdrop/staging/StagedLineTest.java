package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a staged line looks like, byte for byte where it matters. */
class StagedLineTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static MemoryStagingOutput stage(StagingLimits limits, String file) throws IOException {
    return stage(limits, file, false);
  }

  /** Staged token by token, as every line of an unusual shape is (see {@link LineSplicer}). */
  private static MemoryStagingOutput stageTokenByToken(String file) throws IOException {
    return stage(StagingLimits.defaults(), file, true);
  }

  private static MemoryStagingOutput stage(StagingLimits limits, String file, boolean tokenPath)
      throws IOException {
    MemoryStagingOutput out = new MemoryStagingOutput();
    try (StagingWriter writer = new StagingWriter(out, limits, tokenPath)) {
      new RequestValidator(ValidatorConfig.defaults())
          .validate(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), writer);
      writer.finish();
    }
    return out;
  }

  @Test
  void aUsualLineIsStagedAsItsOwnBytesWithTheKeyFirstAndTheRowLabelSpliced() throws IOException {
    String line =
        q(
            " {'request': {'contents':[{'role':'user','parts':[{'text':'caf\\u00e9 😀 \\ud83d\\ude00 \\\"q\\\" 请'}]}],"
                + "'generationConfig':{'temperature':0.10,'topK':1e1,'seed':12345678901234567890}},'custom':{'a':[1,2.50,-0]}} ");
    String turns = "[{'role':'user','parts':[{'text':'hi'}]}]";
    String keyedLast =
        q("{'request':{'labels':{},'contents':" + turns + "},'key' : 'doc-\\u0031'}");
    String labelled =
        q("{'key':'k','request':{'labels':{'team':'search'},'contents':" + turns + "}}");

    MemoryStagingOutput out =
        stage(StagingLimits.defaults(), line + "\n" + keyedLast + "\r\n" + labelled);

    assertThat(out.shardLines(1))
        .containsExactly(
            q(
                "{'key':'row-1','request': {'labels':{'batchdrop_row':'row-1'},'contents':[{'role':'user','parts':"
                    + "[{'text':'caf\\u00e9 😀 \\ud83d\\ude00 \\\"q\\\" 请'}]}],'generationConfig':{'temperature':0.10,'topK':1e1,"
                    + "'seed':12345678901234567890}},'custom':{'a':[1,2.50,-0]}}"),
            q(
                "{'key' : 'doc-\\u0031','request':{'labels':{'batchdrop_row':'row-2'},'contents':"
                    + turns
                    + "}}"),
            q(
                "{'key':'k','request':{'labels':{'batchdrop_row':'row-3','team':'search'},'contents':"
                    + turns
                    + "}}"));
  }

  @Test
  void tokenByTokenTheKeyComesFirstNumbersAndTextAreKeptAsWrittenAndLabelsAreAdded()
      throws IOException {
    String line =
        q(
            "{'request':{'contents':[{'role':'user','parts':[{'text':'caf\\u00e9 😀 \\ud83d\\ude00 \\\"q\\\" 请'}]}],"
                + "'generationConfig':{'temperature':0.10,'topK':1e1,'seed':12345678901234567890}},'custom':{'a':[1,2.50,-0]}}");

    MemoryStagingOutput out = stageTokenByToken(line + "\n");

    assertThat(out.shardLines(1))
        .containsExactly(
            q(
                "{'key':'row-1','request':{'contents':[{'role':'user','parts':"
                    + "[{'text':'caf\\u00e9 😀 \\ud83d\\ude00 \\\"q\\\" 请'}]}],'generationConfig':{'temperature':0.10,'topK':1e1,"
                    + "'seed':12345678901234567890},'labels':{'batchdrop_row':'row-1'}},'custom':{'a':[1,2.50,-0]}}"));
  }

  @Test
  void tokenByTokenTextIsStagedAsTheUserWroteIt() throws IOException {
    StringBuilder bmp = new StringBuilder();
    for (char c = 0x20; c < 0xFFFF; c++) {
      if (c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        bmp.append(c);
      }
    }
    String plain = bmp.toString();
    String other = "😀 and an escaped \" quote";
    String line =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
            + asWritten(plain)
            + "},{\"text\":"
            + asWritten(other)
            + "}]}]}}\n";

    MemoryStagingOutput out = stageTokenByToken(line);

    assertThat(out.shardLines(1).get(0))
        .isEqualTo(
            "{\"key\":\"row-1\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":"
                + asStaged(plain)
                + "},{\"text\":"
                + asWritten(other)
                + "}]}],\"labels\":{\"batchdrop_row\":\"row-1\"}}}");
    assertThat(asStaged(plain)).isEqualTo(asWritten(plain));
  }

  /** A JSON string as a user's tool would write it: every character as itself. */
  private static String asWritten(String text) throws IOException {
    java.io.StringWriter json = new java.io.StringWriter();
    try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(json)) {
      g.writeString(text);
    }
    return json.toString();
  }

  /** A JSON string as staging's generator writes it. */
  private static String asStaged(String text) throws IOException {
    java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
    try (var g = StagingJson.factory().createGenerator(json)) {
      g.writeString(text);
    }
    return json.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aLoneSurrogateEscapeStaysTheEscapeTheUserWrote() throws IOException {
    String line = q("{'request':{'contents':[{'parts':[{'text':'a\\ud800b'}]}]}}\n");

    assertThat(stageTokenByToken(line).shardLines(1).get(0)).contains("\"text\":\"a\\ud800b\"");
    assertThat(stage(StagingLimits.defaults(), line).shardLines(1).get(0))
        .contains("\"text\":\"a\\ud800b\"");
  }

  @Test
  void userLabelsStayTheRowLabelIsOverwrittenAndNullLabelsAreReplaced() throws IOException {
    String file =
        q(
            "{'key':'k1','request':{'labels':{'batchdrop_row':'mine','team':'search'},"
                + contents()
                + "}}\n"
                + "{'request':{'labels':null,"
                + contents()
                + "}}\n"
                + "{'request':{'labels':{},"
                + contents()
                + "}}\n");

    List<JsonNode> staged = parse(stage(StagingLimits.defaults(), file).shardLines(1));

    assertThat(staged.get(0).get("key").asText()).isEqualTo("k1");
    assertThat(staged.get(0).at("/request/labels").toString())
        .isEqualTo(q("{'team':'search','batchdrop_row':'row-1'}"));
    assertThat(staged.get(1).at("/request/labels").toString())
        .isEqualTo(q("{'batchdrop_row':'row-2'}"));
    assertThat(staged.get(2).at("/request/labels").toString())
        .isEqualTo(q("{'batchdrop_row':'row-3'}"));
  }

  @Test
  void bareIsNormalizedEverywhereAndSnakeCaseIsKept() throws IOException {
    String file =
        q(
            "{'request':{'system_instruction':{'parts':{'text':'be brief'}},'contents':[{'role':'user','parts':"
                + "{'file_data':{'file_uri':'gs://media-in/a.png','mime_type':'image/png'}}},{'role':'model','parts':[{'text':'ok'}]}]}}\n");

    JsonNode staged = parse(stage(StagingLimits.defaults(), file).shardLines(1)).get(0);

    assertThat(staged.at("/request/system_instruction/parts").isArray()).isTrue();
    assertThat(staged.at("/request/contents/0/parts/0/file_data/file_uri").asText())
        .isEqualTo("gs://media-in/a.png");
    assertThat(staged.at("/request/contents/1/parts/0/text").asText()).isEqualTo("ok");
  }

  @Test
  void bomAndCrlfDoNotReachTheStagedFile() throws IOException {
    String file =
        "\uFEFF" + q("{'request':{" + contents() + "}}\r\n{'request':{" + contents() + "}}\r\n");

    MemoryStagingOutput out = stage(StagingLimits.defaults(), file);

    byte[] bytes = out.shards.get(1).toByteArray();
    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .doesNotContain("\r")
        .doesNotContain("\uFEFF");
    assertThat(out.shardLines(1)).hasSize(2);
  }

  @Test
  void rowLimitIsExactAndEachShardKnowsItsRows() throws IOException {
    StringBuilder three = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      three.append(q("{'request':{" + contents() + "}}\n"));
    }
    MemoryStagingOutput atLimit = new MemoryStagingOutput();
    StagingResult exactly =
        run(
            atLimit,
            new StagingLimits(3, Long.MAX_VALUE, RunShardBudget.MAX_SHARDS),
            three.toString());
    MemoryStagingOutput over = new MemoryStagingOutput();
    StagingResult oneOver =
        run(
            over,
            new StagingLimits(3, Long.MAX_VALUE, RunShardBudget.MAX_SHARDS),
            three + q("{'request':{" + contents() + "}}\n"));

    assertThat(exactly.shards()).extracting(ShardInfo::rows).containsExactly(3L);
    assertThat(oneOver.shards())
        .containsExactly(
            new ShardInfo(1, 3, over.shards.get(1).size(), 1, 3),
            new ShardInfo(2, 1, over.shards.get(2).size(), 4, 4));
    assertThat(over.closed).containsExactly("shard-1", "shard-2");
  }

  @Test
  void aLineLargerThanTheByteLimitGetsAShardOfItsOwn() throws IOException {
    String small = q("{'request':{" + contents() + "}}\n");
    String big =
        q("{'request':{" + contents() + ",'toolConfig':{'x':'" + "z".repeat(500) + "'}}}\n");

    StagingResult result =
        run(
            new MemoryStagingOutput(),
            new StagingLimits(100, 300, RunShardBudget.MAX_SHARDS),
            small + big + small);

    assertThat(result.shards())
        .extracting(ShardInfo::firstRow, ShardInfo::rows)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 1L),
            org.assertj.core.groups.Tuple.tuple(2L, 1L),
            org.assertj.core.groups.Tuple.tuple(3L, 1L));
  }

  @Test
  void invalidRecordsCarryEveryFindingField() throws IOException {
    MemoryStagingOutput out =
        stage(
            StagingLimits.defaults(),
            q("{'request':{'contents':[{'role':'tester','parts':[{'text':'x'}]}]}}\n"));

    JsonNode record = parse(out.invalidLines()).get(0);

    assertThat(out.shards).isEmpty();
    assertThat(record.get("row").asLong()).isEqualTo(1);
    assertThat(record.get("key").asText()).isEqualTo("row-1");
    assertThat(record.get("line").asText())
        .isEqualTo(q("{'request':{'contents':[{'role':'tester','parts':[{'text':'x'}]}]}}"));
    JsonNode finding = record.get("findings").get(0);
    assertThat(finding.get("line").asLong()).isEqualTo(1);
    assertThat(finding.get("column").asInt()).isEqualTo(33);
    assertThat(finding.get("code").asText()).isEqualTo("role-invalid");
    assertThat(finding.get("path").asText()).isEqualTo("request.contents[0].role");
    assertThat(finding.get("message").asText())
        .isEqualTo("request.contents[0].role is \"tester\"; expected \"user\" or \"model\"");
    assertThat(finding.get("severity").asText()).isEqualTo("error");
  }

  @Test
  void limitsMustBePositiveAndAFinishedWriterTakesNoMoreLines() throws IOException {
    assertThatThrownBy(() -> new StagingLimits(0, 1, RunShardBudget.MAX_SHARDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StagingLimits(1, 0, RunShardBudget.MAX_SHARDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(StagingLimits.defaults())
        .isEqualTo(new StagingLimits(200_000, 1_000_000_000L, RunShardBudget.MAX_SHARDS));

    StagingWriter writer = new StagingWriter(new MemoryStagingOutput(), StagingLimits.defaults());
    assertThat(writer.finish().shards()).isEmpty();
    assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
  }

  private static StagingResult run(MemoryStagingOutput out, StagingLimits limits, String file)
      throws IOException {
    StagingWriter writer = new StagingWriter(out, limits);
    new RequestValidator(ValidatorConfig.defaults())
        .validate(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), writer);
    return writer.finish();
  }

  private static String contents() {
    return "'contents':[{'role':'user','parts':[{'text':'hi'}]}]";
  }

  private static List<JsonNode> parse(List<String> lines) {
    return lines.stream()
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            })
        .toList();
  }

  @Test
  void aLastLineEndingWithABareCrIsStagedWithoutIt() throws IOException {
    String line = q("{'request':{'contents':[{'parts':[{'text':'a'}]}]}}");

    MemoryStagingOutput out = stage(StagingLimits.defaults(), line + "\n" + line + "\r");

    assertThat(out.shardLines(1))
        .hasSize(2)
        .allSatisfy(staged -> assertThat(staged).doesNotContain("\r").endsWith("}}"));
  }

  @Test
  void aLineAtTheLengthLimitFullOfEmojiGrowsOnlyByTheKeyAndTheRowLabelEitherWay()
      throws IOException {
    // Readers of the work bucket allow a staged line 64 KiB more than the upload's line limit; a
    // generator writes each emoji as a 12-byte escape pair, three times its 4 bytes. A bare-object
    // parts goes the token path, an array the splice; the brackets it gains count into the limit.
    int limit = 200_000;
    for (String parts : new String[] {"[{'text':'X'}]", "{'text':'X'}"}) {
      String[] around =
          q("{'request':{'contents':[{'role':'user','parts':" + parts + "}]}}").split("X");
      int brackets = parts.startsWith("{") ? 2 : 0;
      int emoji = (limit - around[0].length() - around[1].length() - 2 - brackets) / 4;
      String line = around[0] + "😀".repeat(emoji) + "\\n" + around[1];
      MemoryStagingOutput out = new MemoryStagingOutput();
      try (StagingWriter writer = new StagingWriter(out, StagingLimits.defaults())) {
        new RequestValidator(ValidatorConfig.defaults().withMaxLineBytes(limit))
            .validate(
                new ByteArrayInputStream((line + "\n").getBytes(StandardCharsets.UTF_8)), writer);
        writer.finish();
      }

      int inBytes = line.getBytes(StandardCharsets.UTF_8).length;
      int staged = out.shards.get(1).size();
      assertThat(inBytes).isLessThanOrEqualTo(limit);
      assertThat(staged - 1 - inBytes).as(parts).isBetween(1, 100);
      assertThat(parse(out.shardLines(1)).get(0).at("/request/contents/0/parts/0/text").asText())
          .isEqualTo("😀".repeat(emoji) + "\n");
    }
  }
}
