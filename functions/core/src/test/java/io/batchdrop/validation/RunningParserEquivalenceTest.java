package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reading clean lines with one parser ({@link RunningParser}) must give every file exactly what a
 * parser per line gave it: the same report, the same rows to the listener with the same keys,
 * bytes, findings (rule, line, column, path, message) and staging layouts (byte offsets). Thousands
 * of corrupted lines, many of them values that run past their line end (an LF inserted anywhere),
 * two values on one line, bare CRs, blank lines, invalid UTF-8, lines over the limit, type clashes
 * across lines and a type table that fills up, handed out by a stream in random-sized reads. Run
 * with {@code -Dbatchdrop.fuzz.seed=N} to replay a failure.
 */
class RunningParserEquivalenceTest {

  private static final int FILES = 120;
  private static final int LINES_PER_FILE = 50;

  private static final String[] SEEDS = {
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is in this video?\"},{\"fileData\":{\"fileUri\":\"gs://cloud-samples-data/v/animals.mp4\",\"mimeType\":\"video/mp4\"}}]}],\"generationConfig\":{\"temperature\":0.9,\"topP\":1,\"maxOutputTokens\":256}}}",
    "{\"key\":\"doc-7\",\"request\":{\"system_instruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":{\"text\":\"请用三句话介绍长城。\"}}],\"labels\":{\"team\":\"search\"}}}",
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"List recipes\"}]}],\"generationConfig\":{\"responseMimeType\":\"application/json\",\"responseSchema\":{\"type\":\"ARRAY\",\"items\":{\"type\":\"OBJECT\",\"properties\":{\"recipe_name\":{\"type\":\"STRING\"}}}}}}}",
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"inline_data\":{\"mime_type\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},{\"text\":\"colour? 😀\"}]},{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":[1,2.5e3,true,null]}}}]}],\"tools\":[{\"functionDeclarations\":[{\"name\":\"f\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"a\":{\"type\":\"ARRAY\"}}}}]}]},\"extra\":{\"n\":1}}",
    "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]},\"extra\":{\"n\":\"one\"}}",
    "[1,2]",
    "{\"request\":{\"contents\":[]}} {\"request\":{}}"
  };

  @Test
  void everyFileGetsWhatAParserPerLineGaveIt() throws IOException {
    long seed = Long.getLong("batchdrop.fuzz.seed", 20261201L);
    Random random = new Random(seed);
    for (int file = 0; file < FILES; file++) {
      byte[] bytes = corruptedFile(random);
      ValidatorConfig config =
          ValidatorConfig.defaults().withMaxLineBytes(random.nextBoolean() ? 2000 : 400);
      // A small type table on some files, so that tracking stops part-way through a line.
      int paths = random.nextInt(3) == 0 ? 20 + random.nextInt(40) : 10_000;
      long readSeed = random.nextLong();
      Outcome perLine = validate(config, bytes, true, paths, readSeed);
      Outcome running = validate(config, bytes, false, paths, readSeed);
      assertThat(running)
          .as(
              "-Dbatchdrop.fuzz.seed=%d, file %d:%n%s",
              seed, file, new String(bytes, StandardCharsets.UTF_8))
          .isEqualTo(perLine);
    }
  }

  /** The report and every listener call, as comparable values. */
  private record Outcome(ValidationReport report, List<String> rows) {}

  private static Outcome validate(
      ValidatorConfig config, byte[] file, boolean parserPerLine, int paths, long readSeed)
      throws IOException {
    List<String> rows = new ArrayList<>();
    LineListener listener =
        new LineListener() {
          @Override
          public void onValidLine(ValidLine line) {
            byte[] bytes =
                Arrays.copyOfRange(line.buffer(), line.offset(), line.offset() + line.length());
            rows.add(
                "valid "
                    + line.row()
                    + " "
                    + line.key()
                    + " "
                    + line.warnings()
                    + " "
                    + line.layout()
                    + " "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
          }

          @Override
          public void onInvalidLine(InvalidLine line) {
            rows.add(
                "invalid "
                    + line.row()
                    + " "
                    + line.key()
                    + " "
                    + line.rawLength()
                    + " "
                    + line.findings()
                    + " "
                    + (line.raw() == null
                        ? null
                        : new String(line.raw(), StandardCharsets.ISO_8859_1)));
          }
        };
    ValidationReport report =
        new RequestValidator(config, parserPerLine)
            .validate(
                new RandomReads(file, new Random(readSeed)),
                listener,
                new KeyPathTable(paths, RequestValidator.KEY_PATH_NAME_BYTES));
    return new Outcome(report, rows);
  }

  private static byte[] corruptedFile(Random random) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    if (random.nextInt(10) == 0) {
      file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    for (int i = 0; i < LINES_PER_FILE; i++) {
      if (random.nextInt(15) == 0) {
        file.writeBytes(random.nextBoolean() ? "\n".getBytes() : "  \r\n".getBytes());
      }
      byte[] line = SEEDS[random.nextInt(SEEDS.length)].getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(12) == 0) {
        line =
            (new String(line, StandardCharsets.UTF_8) + " ".repeat(random.nextInt(3)) + "x")
                .getBytes(StandardCharsets.UTF_8);
      }
      if (random.nextInt(20) == 0) {
        line =
            (new String(line, StandardCharsets.UTF_8) + ",\"z\":\"" + "z".repeat(500) + "\"}")
                .replaceFirst("}$", "")
                .getBytes(StandardCharsets.UTF_8);
      }
      int mutations = random.nextInt(3); // many lines stay intact
      for (int m = 0; m < mutations; m++) {
        line = mutate(line, random);
      }
      file.writeBytes(line);
      int end = random.nextInt(10);
      if (end == 0) {
        file.write('\r');
      } else if (end == 1) {
        file.write(' ');
      }
      if (i < LINES_PER_FILE - 1 || random.nextBoolean()) {
        file.write('\n');
      }
    }
    return file.toByteArray();
  }

  private static byte[] mutate(byte[] line, Random random) {
    if (line.length == 0) {
      return line;
    }
    int at = random.nextInt(line.length);
    return switch (random.nextInt(6)) {
      // An LF anywhere: the value runs past its line end, and its rest is a line of its own.
      case 0, 1 -> insert(line, at, new byte[] {'\n'});
      case 2 -> insert(line, at, new byte[] {'\r'});
      case 3 -> Arrays.copyOf(line, at); // truncated
      case 4 -> insert(line, at, new byte[] {(byte) 0xE2, (byte) 0x82});
      default -> {
        byte[] structural = {'{', '}', '[', ']', ':', ',', '"', ' ', '0', '-', 't'};
        byte[] copy = line.clone();
        copy[at] = structural[random.nextInt(structural.length)];
        yield copy;
      }
    };
  }

  private static byte[] insert(byte[] line, int at, byte[] bytes) {
    byte[] copy = new byte[line.length + bytes.length];
    System.arraycopy(line, 0, copy, 0, at);
    System.arraycopy(bytes, 0, copy, at, bytes.length);
    System.arraycopy(line, at, copy, at + bytes.length, line.length - at);
    return copy;
  }

  /** Hands out between 1 byte and 4 KiB per read, so buffered lines end anywhere. */
  private static final class RandomReads extends FilterInputStream {
    private final Random random;

    RandomReads(byte[] bytes, Random random) {
      super(new ByteArrayInputStream(bytes));
      this.random = random;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int most = random.nextInt(4) == 0 ? 1 + random.nextInt(16) : 1 + random.nextInt(4096);
      return super.read(b, off, Math.min(len, most));
    }
  }
}
