package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lines are split from the raw stream with a bounded buffer, whatever the stream hands out per
 * read.
 */
class LineSplittingTest {

  @Test
  void aLineOverTheLimitIsReportedWithItsLengthWithoutBeingKept() {
    String huge = request(CONTENTS + ",'x':'" + "a".repeat(1_000_000) + "'");
    String file = valid() + "\n" + huge + "\r\n" + valid() + "\n" + huge;
    List<InvalidLine> invalid = new ArrayList<>();

    ValidationReport report =
        validate(
            ValidatorConfig.defaults().withMaxLineBytes(1000),
            file.getBytes(StandardCharsets.UTF_8),
            invalid);

    assertThat(report.rows()).isEqualTo(4);
    assertThat(report.valid()).isEqualTo(2);
    assertThat(invalid).extracting(InvalidLine::row).containsExactly(2L, 4L);
    assertThat(invalid)
        .allSatisfy(
            line -> {
              assertThat(line.raw()).isNull();
              assertThat(line.rawLength()).isEqualTo(huge.length());
              assertThat(line.findings()).extracting(Finding::code).contains("line-too-long");
              assertThat(line.findings())
                  .filteredOn(f -> f.code().equals("line-too-long"))
                  .allSatisfy(
                      f ->
                          assertThat(f.message())
                              .contains(
                                  huge.length() + " bytes long; expected at most 1000 bytes"));
            });
  }

  @Test
  void longLinesWithinTheLimitGrowTheBufferAndManyLinesCrossItsEdges() {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      file.append(request(CONTENTS + ",'n':" + i)).append('\n');
    }
    file.append(request(CONTENTS + ",'x':'" + "b".repeat(700_000) + "'")).append('\n');
    file.append(valid()).append('\n');

    ValidationReport report =
        validate(
            ValidatorConfig.defaults(),
            file.toString().getBytes(StandardCharsets.UTF_8),
            new ArrayList<>());

    assertThat(report.rows()).isEqualTo(3002);
    assertThat(report.valid()).isEqualTo(3002);
    assertThat(report.bytesRead())
        .isEqualTo(file.toString().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aStreamThatHandsOutOneByteAtATimeGivesTheSameResult() throws IOException {
    String file =
        "\uFEFF"
            + valid()
            + "\r\n\r\n"
            + "{bad\r\n"
            + request(CONTENTS + ",'x':'" + "c".repeat(300) + "'");
    byte[] bytes = file.getBytes(StandardCharsets.UTF_8);
    ValidatorConfig config = ValidatorConfig.defaults().withMaxLineBytes(200);

    ValidationReport whole =
        new RequestValidator(config).validate(new ByteArrayInputStream(bytes), LineListener.NONE);
    ValidationReport trickle =
        new RequestValidator(config).validate(new OneByteAtATime(bytes), LineListener.NONE);

    assertThat(trickle).isEqualTo(whole);
    assertThat(whole.rows()).isEqualTo(3);
    assertThat(whole.findings())
        .extracting(Finding::line, Finding::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, "utf8-bom"),
            org.assertj.core.groups.Tuple.tuple(1L, "crlf-line-endings"),
            org.assertj.core.groups.Tuple.tuple(2L, "blank-line"),
            org.assertj.core.groups.Tuple.tuple(3L, "json-syntax"),
            org.assertj.core.groups.Tuple.tuple(4L, "line-too-long"));
  }

  @Test
  void invalidUtf8SpoilsOnlyItsOwnLine() {
    byte[] good = (valid() + "\n").getBytes(StandardCharsets.UTF_8);
    byte[][] badSequences = {
      {(byte) 0xFF},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xE4, (byte) 0xBD}
    };
    for (byte[] bad : badSequences) {
      byte[] line = Lines.parts("[{'text':'ab'}]").getBytes(StandardCharsets.UTF_8);
      int at = new String(line, StandardCharsets.UTF_8).indexOf("ab") + 1;
      byte[] broken = new byte[line.length + bad.length + 1];
      System.arraycopy(line, 0, broken, 0, at);
      System.arraycopy(bad, 0, broken, at, bad.length);
      System.arraycopy(line, at, broken, at + bad.length, line.length - at);
      broken[broken.length - 1] = '\n';
      byte[] file = concat(good, broken, good);

      Validated v = Validated.of(ValidatorConfig.defaults(), file);

      assertThat(v.report().valid()).isEqualTo(2);
      assertThat(v.findings("invalid-utf8"))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.line()).isEqualTo(2);
                assertThat(f.column()).isEqualTo(at + 1);
              });
    }
  }

  @Test
  void progressIsReportedAsBytesAreRead() throws IOException {
    StringBuilder file = new StringBuilder();
    String line = valid() + "\n";
    while (file.length() < 9 * 1024 * 1024) {
      file.append(line);
    }
    List<Long> progress = new ArrayList<>();
    new RequestValidator(ValidatorConfig.defaults())
        .validate(
            new ByteArrayInputStream(file.toString().getBytes(StandardCharsets.UTF_8)),
            new LineListener() {
              @Override
              public void onProgress(long bytesRead) {
                progress.add(bytesRead);
              }
            });

    assertThat(progress).isNotEmpty().isSorted();
    assertThat(progress.get(0)).isGreaterThanOrEqualTo(8L * 1024 * 1024);
  }

  private static ValidationReport validate(
      ValidatorConfig config, byte[] file, List<InvalidLine> invalid) {
    try {
      return new RequestValidator(config)
          .validate(
              new ByteArrayInputStream(file),
              new LineListener() {
                @Override
                public void onInvalidLine(InvalidLine line) {
                  invalid.add(line);
                }
              });
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** Returns at most one byte per read, like a slow network stream. */
  private static final class OneByteAtATime extends FilterInputStream {
    OneByteAtATime(byte[] bytes) {
      super(new ByteArrayInputStream(bytes));
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }
}
