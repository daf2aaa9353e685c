package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.Finding;
import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.Severity;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of randomly corrupted valid lines: the validator never throws, counts every row exactly
 * once, puts a line number on every finding and at least one error on every invalid row, and
 * whatever it accepts stages as parseable JSON carrying its key and row label. Run with {@code
 * -Dbatchdrop.fuzz.seed=N} to replay a failure.
 */
class ValidateAndStageFuzzTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int FILES = 60;
  private static final int LINES_PER_FILE = 60;

  private static final String[] SEEDS = {
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is in this video?\"},{\"fileData\":{\"fileUri\":\"gs://cloud-samples-data/v/animals.mp4\",\"mimeType\":\"video/mp4\"}}]}],\"generationConfig\":{\"temperature\":0.9,\"topP\":1,\"maxOutputTokens\":256}}}",
    "{\"key\":\"doc-7\",\"request\":{\"system_instruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":{\"text\":\"请用三句话介绍长城。\"}}],\"labels\":{\"team\":\"search\"}}}",
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"List recipes\"}]}],\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"OBJECT\",\"properties\":{\"recipe_name\":{\"type\":\"STRING\"}}}}}}}",
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inline_data\":{\"mime_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"text\":\"colour? 😀\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":[1,2.5e3,true,null]}}}]}],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"ARRAY\"}}}}]}]},\"extra\":{\"n\":1}}"
  };

  @Test
  void corruptedLinesNeverBreakTheValidatorOrTheStagedOutput() throws IOException {
    long seed = Long.getLong("batchdrop.fuzz.seed", 20261122L);
    Random random = new Random(seed);
    for (int file = 0; file < FILES; file++) {
      byte[] bytes = corruptedFile(random);
      try {
        checkFile(bytes);
      } catch (AssertionError | RuntimeException | IOException e) {
        throw new AssertionError(
            "fuzz failure with -Dbatchdrop.fuzz.seed="
                + seed
                + " in file "
                + file
                + ":\n"
                + new String(bytes, StandardCharsets.UTF_8),
            e);
      }
    }
  }

  private static void checkFile(byte[] bytes) throws IOException {
    List<String> physicalLines = splitLines(bytes);
    List<Long> expectedRows = new ArrayList<>();
    for (int i = 0; i < physicalLines.size(); i++) {
      if (!physicalLines.get(i).isBlank()) {
        expectedRows.add(i + 1L);
      }
    }
    List<Long> seenRows = new ArrayList<>();
    MemoryStagingOutput out = new MemoryStagingOutput();
    StagingWriter writer =
        new StagingWriter(out, new StagingLimits(7, 20_000, RunShardBudget.MAX_SHARDS));
    List<Long> validRows = new ArrayList<>();
    ValidationReport report =
        new RequestValidator(ValidatorConfig.defaults().withMaxLineBytes(2000))
            .validate(
                new ByteArrayInputStream(bytes),
                new io.batchdrop.validation.LineListener() {
                  @Override
                  public void onValidLine(ValidLine line) throws IOException {
                    seenRows.add(line.row());
                    validRows.add(line.row());
                    assertThat(line.warnings())
                        .allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.WARNING));
                    writer.onValidLine(line);
                  }

                  @Override
                  public void onInvalidLine(InvalidLine line) throws IOException {
                    seenRows.add(line.row());
                    assertThat(line.findings())
                        .anySatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
                    writer.onInvalidLine(line);
                  }
                });
    StagingResult staged = writer.finish();

    assertThat(seenRows).isEqualTo(expectedRows);
    assertThat(report.rows()).isEqualTo(expectedRows.size());
    assertThat(report.valid() + report.invalid()).isEqualTo(report.rows());
    assertThat(report.valid()).isEqualTo(validRows.size());
    for (Finding f : report.findings()) {
      assertThat(f.line()).isBetween(1L, (long) physicalLines.size());
      assertThat(f.column()).isNotNegative();
      assertThat(f.message()).doesNotContain("could not be read as JSON (");
    }
    assertThat(staged.stagedRows()).isEqualTo(report.valid());
    assertThat(staged.invalidRows()).isEqualTo(report.invalid());

    List<Long> stagedRows = new ArrayList<>();
    for (ShardInfo shard : staged.shards()) {
      assertThat(shard.rows()).isLessThanOrEqualTo(7);
      for (String line : out.shardLines(shard.shard())) {
        JsonNode node = JSON.readTree(line);
        String label = node.at("/request/labels/batchdrop_row").asText();
        stagedRows.add(Long.parseLong(label.substring("row-".length())));
        assertThat(node.get("key").isTextual()).isTrue();
        for (JsonNode content : node.at("/request/contents")) {
          assertThat(content.get("parts").isArray()).isTrue();
        }
      }
    }
    assertThat(stagedRows).isEqualTo(validRows);
    for (String line : out.invalidLines()) {
      JsonNode node = JSON.readTree(line);
      assertThat(node.get("findings").size()).isPositive();
      assertThat(node.has("line") || node.has("line_base64") || node.has("bytes")).isTrue();
    }
  }

  private static byte[] corruptedFile(Random random) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < LINES_PER_FILE; i++) {
      byte[] line = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
      int mutations = random.nextInt(4); // some lines stay intact
      for (int m = 0; m < mutations; m++) {
        line = mutate(line, random);
      }
      for (int k = 0; k < line.length; k++) {
        if (line[k] == '\n') {
          line[k] = ' ';
        }
      }
      file.writeBytes(line);
      file.write(random.nextInt(10) == 0 ? '\r' : ' ');
      file.write('\n');
    }
    return file.toByteArray();
  }

  private static byte[] mutate(byte[] line, Random random) {
    if (line.length == 0) {
      return line;
    }
    int at = random.nextInt(line.length);
    switch (random.nextInt(6)) {
      case 0 -> { // flip a byte to anything but NUL, which rejects the whole file (EncodingTest)
        byte[] copy = line.clone();
        copy[at] = (byte) (1 + random.nextInt(255));
        return copy;
      }
      case 1 -> { // truncate
        return java.util.Arrays.copyOf(line, at);
      }
      case 2 -> { // delete a range
        int len = Math.min(line.length - at, 1 + random.nextInt(20));
        byte[] copy = new byte[line.length - len];
        System.arraycopy(line, 0, copy, 0, at);
        System.arraycopy(line, at + len, copy, at, line.length - at - len);
        return copy;
      }
      case 3 -> { // duplicate a range
        int len = Math.min(line.length - at, 1 + random.nextInt(40));
        byte[] copy = new byte[line.length + len];
        System.arraycopy(line, 0, copy, 0, at + len);
        System.arraycopy(line, at, copy, at + len, line.length - at);
        return copy;
      }
      case 4 -> { // insert invalid UTF-8
        byte[][] bad = {
          {(byte) 0xFF},
          {(byte) 0xC3, 0x28},
          {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
          {(byte) 0xE2, (byte) 0x82}
        };
        byte[] b = bad[random.nextInt(bad.length)];
        byte[] copy = new byte[line.length + b.length];
        System.arraycopy(line, 0, copy, 0, at);
        System.arraycopy(b, 0, copy, at, b.length);
        System.arraycopy(line, at, copy, at + b.length, line.length - at);
        return copy;
      }
      default -> { // swap a structural character for another
        byte[] structural = {'{', '}', '[', ']', ':', ',', '"', '$', ' ', '0', '-'};
        byte[] copy = line.clone();
        copy[at] = structural[random.nextInt(structural.length)];
        return copy;
      }
    }
  }

  private static List<String> splitLines(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
