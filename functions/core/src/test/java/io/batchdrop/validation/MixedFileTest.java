package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

/** Files that mix good and bad lines: every finding names the right line, rows are counted once. */
class MixedFileTest {

  @Test
  void aLineThatIsNotJsonFromItsFirstByteGoesByItsOwnRowNumberNotTheKeyOfTheLineBefore() {
    // Its invalid result message would carry another row's key: two outcomes for "doc-1", none
    // under this row's key.
    String file =
        String.join(
                "\n",
                json(
                    "{'key':'doc-1','request':{'contents':[{'role':'user','parts':[{'text':'x'}]}]}}"),
                "not json at all",
                json("{'key':'doc-3','request':{'contents':[]}}"),
                "'single quotes'")
            + "\n";

    Validated v = Validated.of(file);

    assertThat(v.rows())
        .extracting(Validated.Row::row, Validated.Row::valid, Validated.Row::key)
        .containsExactly(
            tuple(1L, true, "doc-1"),
            tuple(2L, false, "row-2"),
            tuple(3L, false, "doc-3"),
            tuple(4L, false, "row-4"));
  }

  @Test
  void findingsCarryTheExactLineNumbersAndBlankLinesAreNotRows() {
    String file =
        String.join(
                "\n",
                valid(), // 1
                json(
                    "{'key':'doc-2','request':{'contents':[{'role':'tester','parts':[{'text':'x'}]}]}}"), // 2
                "", // 3 blank
                valid(), // 4
                "not json at all", // 5
                request("'contents':[]"), // 6
                "   ", // 7 blank
                json(
                    "{'key':'doc-8','request':{'contents':[{'role':'model','parts':{'text':'x'}}]}}"), // 8 warning only
                valid())
            + "\n"; // 9

    Validated v = Validated.of(file);

    assertThat(v.report().rows()).isEqualTo(7);
    assertThat(v.report().valid()).isEqualTo(4);
    assertThat(v.report().invalid()).isEqualTo(3);
    assertThat(v.rows())
        .extracting(Validated.Row::row, Validated.Row::valid, Validated.Row::key)
        .containsExactly(
            tuple(1L, true, "row-1"),
            tuple(2L, false, "doc-2"),
            tuple(4L, true, "row-4"),
            tuple(5L, false, "row-5"),
            tuple(6L, false, "row-6"),
            tuple(8L, true, "doc-8"),
            tuple(9L, true, "row-9"));
    assertThat(v.report().findings())
        .extracting(Finding::line, Finding::code)
        .containsExactly(
            tuple(2L, "role-invalid"),
            tuple(3L, "blank-line"),
            tuple(5L, "json-syntax"),
            tuple(6L, "contents-empty"),
            tuple(7L, "blank-line"),
            tuple(8L, "parts-object"));
    assertThat(v.report().warnings()).isEqualTo(3);
    assertThat(v.report().findingsTotal()).isEqualTo(6);
    assertThat(v.row(8).findings()).extracting(Finding::code).containsExactly("parts-object");
  }

  @Test
  void aLastLineWithoutNewlineIsARowAndAnEmptyFileHasNone() {
    assertThat(Validated.of(valid() + "\n" + valid()).report().rows()).isEqualTo(2);
    assertThat(Validated.of("").report().rows()).isZero();
    assertThat(Validated.of("\n\n").report().rows()).isZero();
    assertThat(Validated.of("\n\n").report().warnings()).isEqualTo(2);
  }

  @Test
  void theReportKeepsTheFirstThousandFindingsAndCountsAll() {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      file.append("nope\n");
    }
    Validated v = Validated.of(file.toString());

    assertThat(v.report().findings()).hasSize(ValidationReport.MAX_FINDINGS);
    assertThat(v.report().findingsTotal()).isEqualTo(1200);
    assertThat(v.report().findings().get(999).line()).isEqualTo(1000);
    assertThat(v.report().invalid()).isEqualTo(1200);
  }

  @Test
  void oneLineCannotPileUpUnboundedFindingsButStaysInvalid() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      members.append(",'e").append(i).append("':{}");
    }
    Validated v = Validated.of(request(Lines.CONTENTS + members));

    assertThat(v.row(1).valid()).isFalse();
    assertThat(v.row(1).findings()).hasSizeLessThanOrEqualTo(2 * 100);
    assertThat(v.report().findingsTotal()).isGreaterThanOrEqualTo(500);
  }
}
