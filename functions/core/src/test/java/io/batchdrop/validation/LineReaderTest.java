package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounded line splitter agrees with a naive one on random input, read sizes and limits. */
class LineReaderTest {

  record Line(
      long number,
      String content,
      long rawLength,
      boolean tooLong,
      boolean crlf,
      boolean needsUtf8Check) {}

  @Test
  void agreesWithANaiveSplitter() throws IOException {
    long seed = 4242;
    Random random = new Random(seed);
    for (int round = 0; round < 400; round++) {
      byte[] data = randomText(random);
      int maxLineBytes = 1 + random.nextInt(random.nextBoolean() ? 8 : 400);
      int maxRead = 1 + random.nextInt(random.nextBoolean() ? 3 : 100_000);

      List<Line> actual = split(new Chunked(data, maxRead, random.nextLong()), maxLineBytes);

      assertThat(actual)
          .as("round %d, maxLineBytes %d, maxRead %d", round, maxLineBytes, maxRead)
          .isEqualTo(naive(data, maxLineBytes));
    }
  }

  @Test
  void theUtf8CheckMadeWhileSplittingFindsTheByteTheSeparateCheckFinds() throws IOException {
    Random random = new Random(777);
    byte[][] pieces = {
      {'a'},
      {'{'},
      {'\n'},
      {'\r'},
      {0},
      {'x', 'y', 'z', 'w', 'v', 'u', 't', 's', 'r'},
      "é".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      "中文".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      "😀".getBytes(java.nio.charset.StandardCharsets.UTF_8),
      {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xE4, (byte) 0xB8},
      {(byte) 0xF0, (byte) 0x9F},
      {(byte) 0x80},
      {(byte) 0xFF}
    };
    for (int round = 0; round < 600; round++) {
      java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
      int n = random.nextInt(400);
      for (int i = 0; i < n; i++) {
        // Mostly valid text, so that lines often have their first invalid byte late or none.
        byte[] piece = pieces[random.nextInt(random.nextInt(4) == 0 ? pieces.length : 9)];
        text.write(piece, 0, piece.length);
      }
      byte[] data = text.toByteArray();
      int maxRead = 1 + random.nextInt(random.nextBoolean() ? 5 : 100_000);
      LineReader reader = new LineReader(new Chunked(data, maxRead, random.nextLong()), 1 << 16);
      while (reader.next()) {
        int start = reader.start();
        int expected = Utf8.firstInvalid(reader.buffer(), start, start + reader.length());
        int actual = reader.firstInvalidUtf8();
        assertThat(actual < 0 ? -1 : actual - start)
            .as("round %d, line %d, maxRead %d", round, reader.lineNumber(), maxRead)
            .isEqualTo(expected < 0 ? -1 : expected - start);
      }
    }
  }

  private static List<Line> split(InputStream in, int maxLineBytes) throws IOException {
    LineReader reader = new LineReader(in, maxLineBytes);
    List<Line> lines = new ArrayList<>();
    while (reader.next()) {
      String content =
          reader.tooLong()
              ? null
              : new String(
                  reader.buffer(),
                  reader.start(),
                  reader.length(),
                  java.nio.charset.StandardCharsets.ISO_8859_1);
      lines.add(
          new Line(
              reader.lineNumber(),
              content,
              reader.rawLength(),
              reader.tooLong(),
              reader.endsWithCr(),
              !reader.tooLong() && reader.needsUtf8Check()));
    }
    return lines;
  }

  private static List<Line> naive(byte[] data, int maxLineBytes) {
    List<Line> lines = new ArrayList<>();
    int start = 0;
    long number = 0;
    while (start < data.length) {
      int end = start;
      while (end < data.length && data[end] != '\n') {
        end++;
      }
      byte[] line = Arrays.copyOfRange(data, start, end);
      boolean crlf = line.length > 0 && line[line.length - 1] == '\r';
      int len = crlf ? line.length - 1 : line.length;
      boolean tooLong = len > maxLineBytes;
      boolean nonAscii = false;
      for (int i = 0; i < len; i++) {
        nonAscii |= line[i] <= 0;
      }
      String content =
          tooLong ? null : new String(line, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
      lines.add(new Line(++number, content, len, tooLong, crlf, !tooLong && nonAscii));
      start = end + 1;
    }
    return lines;
  }

  private static byte[] randomText(Random random) {
    byte[] alphabet = {'a', 'b', '{', '"', ' ', '\n', '\n', '\r', (byte) 0xE4, (byte) 0x80, 0};
    byte[] data = new byte[random.nextInt(3000)];
    int longRun = random.nextInt(4) == 0 ? random.nextInt(data.length + 1) : -1;
    for (int i = 0; i < data.length; i++) {
      data[i] =
          longRun >= 0 && i >= longRun && i < longRun + 1200
              ? (byte) 'x'
              : alphabet[random.nextInt(alphabet.length)];
    }
    return data;
  }

  /** Hands out the bytes in reads of random size up to a maximum. */
  private static final class Chunked extends FilterInputStream {
    private final int maxRead;
    private final Random random;

    Chunked(byte[] data, int maxRead, long seed) {
      super(new ByteArrayInputStream(data));
      this.maxRead = maxRead;
      this.random = new Random(seed);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1 + random.nextInt(maxRead)));
    }
  }
}
