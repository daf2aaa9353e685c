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
 * Leaving most of the UTF-8 check to Jackson ({@link Utf8#scanLenient}) must give every file
 * exactly what the exact check in the line scan gave it: the same report and the same rows to the
 * listener with the same keys, bytes, findings (rule, line, column, path, message) and layouts.
 * Generated batch lines with valid 2-, 3- and 4-byte text (Hangul, emoji, U+10FFFF) and with every
 * kind of broken UTF-8 spliced in anywhere: in string values, in field names, between tokens, at
 * the line end, cut by random-sized reads at any buffer boundary. Run with {@code
 * -Dbatchdrop.fuzz.seed=N} to replay a failure.
 */
class LenientUtf8EquivalenceTest {

  private static final int FILES = 150;
  private static final int LINES_PER_FILE = 40;

  /** Valid text, which neither check may reject. */
  private static final String[] VALID = {
    "é", "Ж", "中", "가", "한", "\uD7FF", "\uE000", "\uFFFF", "😀", "\uDBFF\uDFFF", "\u0800", "ÿ"
  };

  /** Every way of breaking UTF-8, and NUL. */
  private static final byte[][] HOSTILE = {
    {(byte) 0xC3, 'A'}, // bad continuation
    {(byte) 0xE4, (byte) 0xB8, 'A'},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, 'A'},
    {(byte) 0xEA, '"'},
    {(byte) 0xC3}, // truncated
    {(byte) 0xE4, (byte) 0xB8},
    {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
    {(byte) 0xED},
    {(byte) 0xF4},
    {(byte) 0xC0, (byte) 0x80}, // overlong
    {(byte) 0xC1, (byte) 0xBF},
    {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
    {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF},
    {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // surrogates
    {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    {(byte) 0xF4, (byte) 0xBF, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xF7, (byte) 0xBF, (byte) 0xBF, (byte) 0xBF},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xFE},
    {(byte) 0xFF},
    {(byte) 0xFF, (byte) 0xFF},
    {(byte) 0x80}, // lone continuation bytes
    {(byte) 0xBF, (byte) 0x80},
    {0}
  };

  @Test
  void everyFileGetsWhatTheExactCheckGaveIt() throws IOException {
    long seed = Long.getLong("batchdrop.fuzz.seed", 20261202L);
    Random random = new Random(seed);
    int invalidUtf8Rows = 0;
    int lenientValidRows = 0;
    for (int file = 0; file < FILES; file++) {
      byte[] bytes = hostileFile(random);
      ValidatorConfig config = ValidatorConfig.defaults().withMaxLineBytes(4000);
      // A small type table on some files, so that a line forgotten as not UTF-8 must also give
      // back the paths it took.
      int paths = random.nextInt(3) == 0 ? 20 + random.nextInt(40) : 10_000;
      long readSeed = random.nextLong();
      Outcome exact = validate(config, bytes, true, paths, readSeed);
      Outcome lenient = validate(config, bytes, false, paths, readSeed);
      assertThat(lenient)
          .as(
              "-Dbatchdrop.fuzz.seed=%d, file %d:%n%s",
              seed, file, new String(bytes, StandardCharsets.ISO_8859_1))
          .isEqualTo(exact);
      invalidUtf8Rows +=
          (int) exact.rows().stream().filter(r -> r.contains("invalid-utf8")).count();
      lenientValidRows += (int) exact.rows().stream().filter(r -> r.startsWith("valid")).count();
    }
    // Both kinds of row are common, so the comparison says something about each.
    assertThat(invalidUtf8Rows).isGreaterThan(FILES * 3);
    assertThat(lenientValidRows).isGreaterThan(FILES * 3);
  }

  /** The report and every listener call, as comparable values. */
  private record Outcome(ValidationReport report, List<String> rows) {}

  private static Outcome validate(
      ValidatorConfig config, byte[] file, boolean exactUtf8, int paths, long readSeed)
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
        new RequestValidator(config, false, exactUtf8)
            .validate(
                new RandomReads(file, new Random(readSeed)),
                listener,
                new KeyPathTable(paths, RequestValidator.KEY_PATH_NAME_BYTES));
    return new Outcome(report, rows);
  }

  private static byte[] hostileFile(Random random) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    if (random.nextInt(10) == 0) {
      file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    for (int i = 0; i < LINES_PER_FILE; i++) {
      String text = GeneratedLines.generation(random);
      // Valid non-ASCII text in values and in names, so that names with it get interned.
      for (int k = random.nextInt(4); k > 0; k--) {
        text = spliceAfterQuote(text, VALID[random.nextInt(VALID.length)], random);
      }
      byte[] line = text.getBytes(StandardCharsets.UTF_8);
      int hostile = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2);
      for (int h = 0; h < hostile; h++) {
        line =
            splice(
                line,
                HOSTILE[random.nextInt(HOSTILE.length - (random.nextInt(8) == 0 ? 0 : 1))],
                random);
      }
      file.writeBytes(line);
      if (random.nextInt(10) == 0) {
        file.write('\r');
      }
      if (i < LINES_PER_FILE - 1 || random.nextBoolean()) {
        file.write('\n');
      }
    }
    return file.toByteArray();
  }

  /** {@code s} with {@code insert} right after one of its quotes: inside a name or a string. */
  private static String spliceAfterQuote(String s, String insert, Random random) {
    int at = s.indexOf('"', random.nextInt(s.length()));
    return at < 0 ? s : s.substring(0, at + 1) + insert + s.substring(at + 1);
  }

  /**
   * {@code bytes} inserted into the line: right after a quote (the first bytes of a name or a
   * string), just before one (its last bytes), at the very end, at the start, or anywhere.
   */
  private static byte[] splice(byte[] line, byte[] bytes, Random random) {
    int at =
        switch (random.nextInt(5)) {
          case 0 -> quoteAfter(line, random.nextInt(line.length + 1), 1);
          case 1 -> quoteAfter(line, random.nextInt(line.length + 1), 0);
          case 2 -> line.length;
          case 3 -> 0;
          default -> random.nextInt(line.length + 1);
        };
    byte[] copy = new byte[line.length + bytes.length];
    System.arraycopy(line, 0, copy, 0, at);
    System.arraycopy(bytes, 0, copy, at, bytes.length);
    System.arraycopy(line, at, copy, at + bytes.length, line.length - at);
    return copy;
  }

  private static int quoteAfter(byte[] line, int from, int plus) {
    for (int i = from; i < line.length; i++) {
      if (line[i] == '"') {
        return i + plus;
      }
    }
    return line.length;
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
