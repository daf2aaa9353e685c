package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void everyStagedLineCarriesItsKeyAndRowLabelBesideTheUsersOwnLabels() throws Exception {
    StagingResult result =
        stage(
            StagingLimits.defaults(),
            ValidatorConfig.defaults(),
            line("a"),
            "{\"key\":\"order-7\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"b\"}]}],"
                + "\"labels\":{\"team\":\"search\",\"batchdrop_row\":\"spoofed\"}}}");

    assertThat(result.shards())
        .containsExactly(new ShardInfo(1, 2, Files.size(output().shardFile(1)), 1, 2));
    List<JsonNode> staged = shard(1);
    assertThat(staged.get(0).path("key").asText()).isEqualTo("row-1");
    assertThat(staged.get(0).at("/request/labels/batchdrop_row").asText()).isEqualTo("row-1");
    assertThat(staged.get(1).path("key").asText()).isEqualTo("order-7");
    assertThat(staged.get(1).at("/request/labels/team").asText()).isEqualTo("search");
    assertThat(staged.get(1).at("/request/labels/batchdrop_row").asText()).isEqualTo("row-2");
    assertThat(staged.get(1).at("/request/contents/0/parts/0/text").asText()).isEqualTo("b");
  }

  @Test
  void aBarePartsObjectIsStagedAsAnArray() throws Exception {
    stage(
        StagingLimits.defaults(),
        ValidatorConfig.defaults(),
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":{\"text\":\"hi\"}}],"
            + "\"system_instruction\":{\"parts\":{\"text\":\"be brief\"}}}}");

    JsonNode staged = shard(1).get(0);
    assertThat(staged.at("/request/contents/0/parts").isArray()).isTrue();
    assertThat(staged.at("/request/contents/0/parts/0/text").asText()).isEqualTo("hi");
    assertThat(staged.at("/request/system_instruction/parts/0/text").asText())
        .isEqualTo("be brief");
  }

  @Test
  void shardsAreCutExactlyAtTheRowLimit() throws Exception {
    StagingResult result =
        stage(
            new StagingLimits(2, Long.MAX_VALUE, RunShardBudget.MAX_SHARDS),
            ValidatorConfig.defaults(),
            line("1"),
            line("2"),
            line("3"),
            line("4"),
            line("5"));

    assertThat(result.shards())
        .extracting(s -> s.firstRow() + "-" + s.lastRow() + ":" + s.rows())
        .containsExactly("1-2:2", "3-4:2", "5-5:1");
    assertThat(shard(3)).hasSize(1);
  }

  @Test
  void shardsAreCutBeforeALineWouldPassTheByteLimit() throws Exception {
    StagingResult whole = stage(StagingLimits.defaults(), ValidatorConfig.defaults(), line("x"));
    long oneLine = whole.shards().get(0).bytes();

    StagingResult exact =
        stage(
            new StagingLimits(100, 2 * oneLine, RunShardBudget.MAX_SHARDS),
            ValidatorConfig.defaults(),
            line("x"),
            line("x"),
            line("x"));
    assertThat(exact.shards()).extracting(ShardInfo::rows).containsExactly(2L, 1L);
    assertThat(exact.shards())
        .allSatisfy(s -> assertThat(s.bytes()).isLessThanOrEqualTo(2 * oneLine));
    assertThat(exact.shards().get(0).bytes()).isEqualTo(Files.size(output().shardFile(1)));

    StagingResult oneOver =
        stage(
            new StagingLimits(100, 2 * oneLine - 1, RunShardBudget.MAX_SHARDS),
            ValidatorConfig.defaults(),
            line("x"),
            line("x"),
            line("x"));
    assertThat(oneOver.shards()).extracting(ShardInfo::rows).containsExactly(1L, 1L, 1L);
  }

  @Test
  void invalidRowsGoToInvalidJsonlWithTheirFindingsAndTheLine() throws Exception {
    byte[] notUtf8 = {'{', '"', 'r', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    String tooLong =
        "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"" + "y".repeat(3000) + "\"}]}]}}";
    StringBuilder file =
        new StringBuilder().append(line("ok")).append('\n').append("this is not json\n");
    byte[] head = file.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\n" + tooLong + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + notUtf8.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(notUtf8, 0, all, head.length, notUtf8.length);
    System.arraycopy(tail, 0, all, head.length + notUtf8.length, tail.length);

    StagingResult result =
        stageBytes(
            StagingLimits.defaults(), ValidatorConfig.defaults().withMaxLineBytes(2048), all);

    assertThat(result.invalidRows()).isEqualTo(3);
    assertThat(result.stagedRows()).isEqualTo(1);
    List<JsonNode> invalid = read(output().invalidFile());
    assertThat(invalid).extracting(n -> n.path("row").asLong()).containsExactly(2L, 3L, 4L);
    assertThat(invalid.get(0).path("line").asText()).isEqualTo("this is not json");
    assertThat(invalid.get(0).path("key").asText()).isEqualTo("row-2");
    assertThat(invalid.get(0).at("/findings/0/severity").asText()).isEqualTo("error");
    assertThat(invalid.get(0).at("/findings/0/line").asLong()).isEqualTo(2);
    assertThat(Base64.getDecoder().decode(invalid.get(1).path("line_base64").asText()))
        .isEqualTo(notUtf8);
    assertThat(invalid.get(1).has("line")).isFalse();
    assertThat(invalid.get(2).path("bytes").asLong()).isEqualTo(tooLong.length());
    assertThat(invalid.get(2).has("line")).isFalse();
  }

  @Test
  void aLineOfManySingleObjectPartsIsStagedWithinTheLineLimitOrSetAsideAsTooLong()
      throws Exception {
    // 1 MiB of turns whose parts are single objects: staged as arrays, 2 bytes more each, some
    // 95 KB in all, more than the room readers of staged lines allow beyond the limit.
    int limit = 1024 * 1024;
    ValidatorConfig config = ValidatorConfig.defaults().withMaxLineBytes(limit);
    String fits = singleObjectTurns(limit);
    String over = singleObjectTurns(limit + 2);

    StagingResult result = stage(StagingLimits.defaults(), config, fits, over);

    assertThat(result.stagedRows()).isEqualTo(1);
    List<String> staged = Files.readAllLines(output().shardFile(1));
    assertThat(staged.get(0).getBytes(StandardCharsets.UTF_8).length)
        .as("the staged line of a valid row")
        .isLessThanOrEqualTo(limit + StagingLimits.MAX_LINE_GROWTH_BYTES);
    JsonNode invalid = read(output().invalidFile()).get(0);
    assertThat(invalid.path("row").asLong()).isEqualTo(2);
    JsonNode tooLong = null;
    for (JsonNode finding : invalid.path("findings")) {
      if (finding.path("code").asText().equals("line-too-long")) {
        tooLong = finding;
      }
    }
    assertThat(tooLong).as("a line-too-long finding among " + invalid.path("findings")).isNotNull();
    assertThat(tooLong.path("message").asText())
        .contains(
            (limit + 2) + " bytes as staged", "expected at most " + limit + " bytes as staged");
  }

  /** A line of turns with single-object parts that is {@code stagedBytes} long once staged. */
  private static String singleObjectTurns(int stagedBytes) {
    String turn = "{\"role\":\"user\",\"parts\":{\"text\":\"a\"}}";
    StringBuilder line = new StringBuilder("{\"request\":{\"contents\":[");
    int turns = 0;
    while (line.length() + 2 * turns + turn.length() + 1 + 2 + 3 <= stagedBytes) {
      line.append(turn).append(',');
      turns++;
    }
    line.setLength(line.length() - 1);
    // Pad the last text so the staged length is exact.
    int staged = line.length() + 3 + 2 * turns;
    line.insert(line.length() - 3, "b".repeat(stagedBytes - staged));
    return line.append("]}}").toString();
  }

  @Test
  void aShardIsCutWhereBlankOrInvalidLinesWouldWidenItsRowsPastTheSpanPublishTracks()
      throws Exception {
    // Row 1, blank rows up to the widest span, its last row, one more blank, then a row beyond.
    long span = StagingLimits.MAX_ROW_SPAN_PER_SHARD;
    StringBuilder file = new StringBuilder(line("first")).append('\n');
    file.append("\n".repeat((int) span - 2)).append(line("at the span's end")).append('\n');
    file.append('\n').append(line("beyond it")).append('\n');

    StagingResult result =
        stageBytes(
            StagingLimits.defaults(),
            ValidatorConfig.defaults(),
            file.toString().getBytes(StandardCharsets.UTF_8));

    assertThat(result.shards())
        .extracting(ShardInfo::rows, ShardInfo::firstRow, ShardInfo::lastRow)
        .containsExactly(tuple(2L, 1L, span), tuple(1L, span + 2, span + 2));
  }

  @Test
  void stagingStopsWithAReasonBeforeTheShardPastTheRunsLimitAndReadsNoFurther() throws Exception {
    // One row each 2,000,000 lines, blank lines between: every row a shard of its own.
    long span = StagingLimits.MAX_ROW_SPAN_PER_SHARD;
    StringBuilder file = new StringBuilder();
    for (int row = 0; row < 3; row++) {
      file.append(line("sparse " + row)).append('\n').append("\n".repeat((int) span - 1));
    }
    file.append(line("the fourth shard")).append('\n').append("not json\n".repeat(5));
    StagingLimits limits = new StagingLimits(200_000, 1_000_000_000L, 3);
    List<Long> rowsRead = new java.util.ArrayList<>();
    StagingWriter writer = new StagingWriter(output(), limits);
    io.batchdrop.validation.LineListener seen =
        new io.batchdrop.validation.LineListener() {
          @Override
          public void onValidLine(io.batchdrop.validation.ValidLine valid) {
            rowsRead.add(valid.row());
          }

          @Override
          public void onInvalidLine(io.batchdrop.validation.InvalidLine invalid) {
            rowsRead.add(invalid.row());
          }
        };

    assertThatThrownBy(
            () ->
                new RequestValidator(ValidatorConfig.defaults())
                    .validate(
                        new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
                        io.batchdrop.validation.LineListener.both(seen, writer)))
        .isInstanceOf(ShardLimitException.class)
        .hasMessageContaining("the file needs more than 3 batch jobs; expected at most 3")
        .hasMessageContaining("reading stopped at line 6,000,001, where shard 4 would begin")
        .hasMessageContaining("blank and invalid lines between them included");
    assertThat(rowsRead).containsExactly(1L, span + 1, 2 * span + 1, 3 * span + 1);
    assertThat(output().shardFile(4)).doesNotExist();
  }

  @Test
  void noInvalidFileWhenEveryRowIsValid() throws Exception {
    stage(StagingLimits.defaults(), ValidatorConfig.defaults(), line("fine"));

    assertThat(output().invalidFile()).doesNotExist();
  }

  private DirectoryStagingOutput output() {
    return new DirectoryStagingOutput(dir);
  }

  private StagingResult stage(StagingLimits limits, ValidatorConfig config, String... lines)
      throws IOException {
    return stageBytes(
        limits, config, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  private StagingResult stageBytes(StagingLimits limits, ValidatorConfig config, byte[] file)
      throws IOException {
    StagingWriter writer = new StagingWriter(output(), limits);
    new RequestValidator(config).validate(new ByteArrayInputStream(file), writer);
    return writer.finish();
  }

  private List<JsonNode> shard(int n) throws IOException {
    return read(output().shardFile(n));
  }

  private static List<JsonNode> read(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(
            l -> {
              try {
                return JSON.readTree(l);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  private static String line(String prompt) {
    return "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + prompt
        + "\"}]}]}}";
  }
}
