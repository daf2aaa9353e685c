package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file is UTF-8, or it is rejected with one finding that says what it is instead, whatever the
 * policy: no row of a UTF-16 file is read, transcoded or staged.
 */
class EncodingTest {

  private static final String THREE_ROWS = valid() + "\n" + valid() + "\n" + valid() + "\n";

  private static byte[] bytes(String text, String charset, byte... bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bom);
    out.writeBytes(text.getBytes(Charset.forName(charset)));
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "UTF-16 LE, UTF-16LE, FF FE",
    "UTF-16 BE, UTF-16BE, FE FF",
    "UTF-32 LE, UTF-32LE, FF FE 00 00",
    "UTF-32 BE, UTF-32BE, 00 00 FE FF"
  })
  void aFileWithAUtf16Or32ByteOrderMarkIsRejectedWithOneFindingNamingIt(
      String name, String charset, String bomHex) {
    byte[] bom = hex(bomHex);

    Validated v = Validated.of(ValidatorConfig.defaults(), bytes(THREE_ROWS, charset, bom));

    assertThat(v.report().findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("file-not-utf8");
              assertThat(f.message())
                  .startsWith(
                      "the file starts with a " + name + " byte order mark; expected UTF-8");
            });
    assertThat(v.rows()).isEmpty();
    assertThat(v.report().rows()).isZero();
    Verdict verdict = ValidationPolicy.defaults().judge(v.report());
    assertThat(verdict.accepted()).isFalse();
    assertThat(verdict.reason()).contains(name + " byte order mark");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "UTF-16 LE, UTF-16LE",
    "UTF-16 BE, UTF-16BE",
    "UTF-32 LE, UTF-32LE",
    "UTF-32 BE, UTF-32BE"
  })
  void aFileWithoutAByteOrderMarkIsToldByItsNuls(String name, String charset) {
    Validated v = Validated.of(ValidatorConfig.defaults(), bytes(THREE_ROWS, charset));

    assertThat(v.report().findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("file-not-utf8");
              assertThat(f.line()).isEqualTo(1);
              assertThat(f.message())
                  .contains("the file looks like " + name + " text without a byte order mark")
                  .contains("expected UTF-8");
            });
    assertThat(v.rows()).isEmpty();
    assertThat(ValidationPolicy.defaults().judge(v.report()).accepted()).isFalse();
  }

  @Test
  void aStrayNulRejectsTheFileEvenWhenEveryOtherRowIsValid() {
    byte[] line = valid().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      file.writeBytes(line);
      file.write('\n');
    }
    file.writeBytes(line);
    file.write(0);
    file.write('\n');
    file.writeBytes(line);
    file.write('\n');

    Validated v = Validated.of(ValidatorConfig.defaults(), file.toByteArray());

    Finding rejection = v.report().rejection();
    assertThat(rejection.code()).isEqualTo("file-not-utf8");
    assertThat(rejection.line()).isEqualTo(21);
    assertThat(rejection.column()).isEqualTo(line.length + 1);
    assertThat(rejection.message())
        .startsWith("byte " + (line.length + 1) + " of line 21 is a NUL (0x00), which UTF-8 text");
    assertThat(v.rows()).extracting(Validated.Row::row).doesNotContain(21L, 22L);
    Verdict lenient = new ValidationPolicy(Policy.LENIENT, 1.0).judge(v.report());
    assertThat(lenient.accepted()).isFalse();
    assertThat(lenient.reason()).isEqualTo(rejection.message());
  }

  @Test
  void aNulWrittenAsAJsonEscapeIsText() {
    Validated v = Validated.of(Lines.parts("[{'text':'a\\u0000b'}]") + "\n");

    assertThat(v.report().rejection()).isNull();
    assertThat(v.report().valid()).isEqualTo(1);
  }

  @Test
  void aUtf8ByteOrderMarkIsStillOnlyAWarning() {
    Validated v = Validated.of("\uFEFF" + THREE_ROWS);

    assertThat(v.codes()).containsExactly("utf8-bom");
    assertThat(v.report().valid()).isEqualTo(3);
  }

  @Test
  void aUtf8ByteOrderMarkAfterTheStartOfTheFileIsNotSilentlySkipped() {
    Validated v = Validated.of(valid() + "\n\uFEFF" + valid() + "\n");

    assertThat(v.row(1).valid()).isTrue();
    assertThat(v.row(2).valid()).isFalse();
    assertThat(v.row(2).findings()).extracting(Finding::code).containsExactly("json-syntax");
  }

  @Test
  void aFileShorterThanAByteOrderMarkIsReadAsUtf8() {
    Validated v = Validated.of(ValidatorConfig.defaults(), new byte[] {(byte) 0xFF});

    assertThat(v.codes()).containsExactly("invalid-utf8");
  }

  private static byte[] hex(String spaced) {
    String[] parts = spaced.split(" ");
    byte[] b = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      b[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return b;
  }
}
