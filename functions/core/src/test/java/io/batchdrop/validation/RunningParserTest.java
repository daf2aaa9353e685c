package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.requestWith;
import static io.batchdrop.validation.Lines.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Clean lines are read with one parser (see {@link RunningParser}); the edges where a line is not
 * clean get exactly the findings of a line read alone, and the lines after them are unaffected.
 */
class RunningParserTest {

  private static final String UNKNOWN_FIELD = requestWith("'bogus':1");

  /** Where the unknown field's finding points: the opening quote of its name. */
  private static final int UNKNOWN_FIELD_COLUMN = UNKNOWN_FIELD.indexOf("\"bogus\"") + 1;

  @Test
  void aValueRunningPastItsLineEndIsASyntaxErrorThereAndItsRestIsALineOfItsOwn() {
    String head = json("{'request':{'contents':[");
    String file =
        valid() + "\n" + head + "\n" + json("{'role':'user','parts':[{'text':'hi'}]}]}}") + "\n";

    Validated v = Validated.of(file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(
            tuple(2L, "json-syntax", head.length() + 1),
            tuple(3L, "request-missing", 1),
            tuple(3L, "trailing-data", file.split("\n")[2].indexOf("]}]}}") + 3));
    assertThat(v.findings("json-syntax").get(0).message()).contains("end-of-input");
    assertThat(v.row(1).valid()).isTrue();
  }

  @Test
  void aValueClosedOnTheNextLineIsASyntaxErrorOnBothLines() {
    String open = valid().substring(0, valid().length() - 1);
    String file = valid() + "\n" + open + "\n}\n" + valid() + "\n";

    Validated v = Validated.of(file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(tuple(2L, "json-syntax", open.length() + 1), tuple(3L, "json-syntax", 1));
    assertThat(v.report().valid()).isEqualTo(2);
    assertThat(v.row(4).valid()).isTrue();
  }

  @Test
  void twoValuesOnOneLineAreTrailingDataAndTheNextLineIsReadFromItsOwnStart() {
    String file = valid() + " " + valid() + "\n" + UNKNOWN_FIELD + "\n" + valid() + "\n";

    Validated v = Validated.of(file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(
            tuple(1L, "trailing-data", valid().length() + 2),
            tuple(2L, "unknown-field", UNKNOWN_FIELD_COLUMN));
    assertThat(v.row(3).valid()).isTrue();
  }

  @Test
  void aSyntaxErrorDoesNotSpoilTheLinesAfterIt() {
    String file = valid() + "\n{bad\n" + UNKNOWN_FIELD + "\n" + valid();

    Validated v = Validated.of(file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(
            tuple(2L, "json-syntax", 2), tuple(3L, "unknown-field", UNKNOWN_FIELD_COLUMN));
    assertThat(v.report().valid()).isEqualTo(3); // an unknown field is a warning
  }

  @Test
  void findingsFarIntoTheBufferHaveColumnsCountedFromTheirOwnLine() {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      file.append(i % 50 == 49 ? "  " + UNKNOWN_FIELD : valid()).append(i % 3 == 0 ? "\r\n" : "\n");
    }

    Validated v = Validated.of(file.toString());

    assertThat(v.findings("unknown-field"))
        .hasSize(10)
        .allSatisfy(
            f -> {
              assertThat(f.line() % 50).isZero();
              assertThat(f.column()).isEqualTo(2 + UNKNOWN_FIELD_COLUMN);
              assertThat(f.path()).isEqualTo("request.bogus");
            });
    assertThat(v.codes()).containsOnly("unknown-field", "crlf-line-endings");
  }

  @Test
  void aLineAtTheLengthLimitIsCheckedWithItsNeighboursAndOneByteMoreIsNot() {
    String atLimit = json("{'request':{" + CONTENTS + "},'pad':'" + "p".repeat(100) + "'}");
    ValidatorConfig config = ValidatorConfig.defaults().withMaxLineBytes(atLimit.length());
    String over = json("{'request':{" + CONTENTS + "},'pad':'" + "p".repeat(101) + "'}");
    String file = valid() + "\n" + atLimit + "\n" + over + "\n" + UNKNOWN_FIELD + "\n" + atLimit;

    Validated v = Validated.of(config, file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(
            tuple(3L, "line-too-long", 0), tuple(4L, "unknown-field", UNKNOWN_FIELD_COLUMN));
    assertThat(v.row(2).valid()).isTrue();
    assertThat(v.row(5).valid()).isTrue();
    assertThat(v.row(5).text()).isEqualTo(atLimit);
  }

  @Test
  void aTypeSeenOnALineThatTurnsOutBrokenDoesNotBindLaterLines() {
    String broken = json("{'request':{" + CONTENTS + "},'extra':{'n':1");
    String file = broken + "\n}}\n" + json("{'request':{" + CONTENTS + "},'extra':{'n':'one'}}\n");

    Validated v = Validated.of(file);

    assertThat(v.codes()).containsExactly("json-syntax", "json-syntax");
    assertThat(v.row(3).valid()).isTrue();
  }

  @Test
  void blankLinesAndAByteOrderMarkBetweenCleanLinesChangeNothing() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    String rest = "\n\n  \n" + valid() + "\n" + UNKNOWN_FIELD + "\n";
    byte[] file = concat(bom, (valid() + rest).getBytes(StandardCharsets.UTF_8));

    Validated v = Validated.of(ValidatorConfig.defaults(), file);

    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code, Finding::column)
        .containsExactly(
            tuple(1L, "utf8-bom", 1),
            tuple(2L, "blank-line", 0),
            tuple(3L, "blank-line", 0),
            tuple(5L, "unknown-field", UNKNOWN_FIELD_COLUMN));
    assertThat(v.report().valid()).isEqualTo(3);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
