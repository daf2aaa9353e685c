package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.requestWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * User text in findings is cut to a bounded length that still says how long it was, and the table
 * of key paths keeps a bounded number of bytes of names: findings go into Firestore documents and
 * Pub/Sub messages with hard limits, and a file must not make the validator hold its names.
 */
class FindingBoundsTest {

  @Test
  void aLongFieldNameIsCutInThePathWithItsFullLength() {
    String name = "n".repeat(4096);

    Finding f = Validated.of(requestWith("'" + name + "':1")).findings("unknown-field").get(0);

    assertThat(f.path()).isEqualTo("request." + "n".repeat(64) + "\u2026(4,096 characters)");
    assertThat(f.message()).hasSizeLessThan(600).contains("\u2026(4,096 characters)");
  }

  @Test
  void aFieldNameOfSixtyFourCharactersIsShownWhole() {
    String name = "n".repeat(64);

    Finding f = Validated.of(requestWith("'" + name + "':1")).findings("unknown-field").get(0);

    assertThat(f.path()).isEqualTo("request." + name);
    assertThat(f.message()).doesNotContain("\u2026");
  }

  @Test
  void aLongValueIsQuotedCutWithItsFullLengthAfterTheQuote() {
    String role = "r".repeat(5000);

    Finding f =
        Validated.of(request("'contents':[{'role':'" + role + "','parts':[{'text':'hi'}]}]"))
            .findings("role-invalid")
            .get(0);

    assertThat(f.message())
        .startsWith(
            "request.contents[0].role is \"" + "r".repeat(64) + "\"\u2026(5,000 characters);")
        .hasSizeLessThan(200);
  }

  @Test
  void theCutNeverSplitsACharacterOutsideTheBasicPlane() {
    String name = "\uD83D\uDE00".repeat(100); // 100 emoji, 200 UTF-16 chars

    Finding f = Validated.of(requestWith("'" + name + "':1")).findings("unknown-field").get(0);

    String kept = "\uD83D\uDE00".repeat(64);
    assertThat(f.path()).isEqualTo("request[\"" + kept + "\u2026(100 characters)\"]");
    byte[] utf8 = f.path().getBytes(StandardCharsets.UTF_8);
    assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo(f.path());
  }

  @Test
  void aDeepPathOfLongNamesIsCutAsAWhole() {
    StringBuilder value = new StringBuilder("1");
    for (int i = 0; i < 14; i++) {
      value.insert(0, "{'" + (char) ('a' + i) + "x".repeat(200) + "':").append('}');
    }

    Validated v = Validated.of(requestWith("'toolConfig':" + value + ",'$bad':1"));
    Validated deep =
        Validated.of(requestWith("'toolConfig':" + value.toString().replace("1}", "{}}")));

    assertThat(v.findings("dollar-key")).isNotEmpty();
    Finding empty = deep.findings("empty-object").get(0);
    assertThat(empty.path()).hasSizeLessThan(Excerpt.MAX_PATH_CHARS + 30).contains("\u2026(");
    assertThat(empty.message()).hasSizeLessThan(2 * Excerpt.MAX_PATH_CHARS + 200);
  }

  @Test
  void manyDistinctLongFieldNamesKeepTheTypeTableWithinItsByteBudget() throws IOException {
    // 1,000 lines with a distinct 2,000-character name each: 4 MB of names, over a 1 MiB budget
    // (the production budget is 8 MiB; a smaller one keeps the test fast).
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      String name = String.format("f%05d", i) + "x".repeat(1994);
      file.writeBytes((request(CONTENTS + ",'toolConfig':{'" + name + "':1}") + "\n").getBytes());
    }
    KeyPathTable table = new KeyPathTable(RequestValidator.KEY_PATH_CAPACITY, 1L << 20);

    ValidationReport report =
        new RequestValidator(ValidatorConfig.defaults())
            .validate(new ByteArrayInputStream(file.toByteArray()), LineListener.NONE, table);

    assertThat(table.nameBytes()).isLessThanOrEqualTo(1L << 20);
    assertThat(table.size()).isLessThan(300);
    assertThat(report.valid()).isEqualTo(1000);
    assertThat(report.findings())
        .filteredOn(f -> f.code().equals("key-path-tracking-stopped"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.message()).contains("1 MiB of field names");
              assertThat(f.path()).endsWith("\u2026(2,000 characters)").hasSizeLessThan(120);
            });
  }

  @Test
  void namesWithinTheBudgetAreAllTracked() throws IOException {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (int i = 0; i < 200; i++) {
      String name = String.format("f%05d", i) + "x".repeat(1994);
      file.writeBytes((request(CONTENTS + ",'toolConfig':{'" + name + "':1}") + "\n").getBytes());
    }
    file.writeBytes(
        (request(CONTENTS + ",'toolConfig':{'f00007" + "x".repeat(1994) + "':'one'}") + "\n")
            .getBytes());
    KeyPathTable table =
        new KeyPathTable(RequestValidator.KEY_PATH_CAPACITY, RequestValidator.KEY_PATH_NAME_BYTES);

    ValidationReport report =
        new RequestValidator(ValidatorConfig.defaults())
            .validate(new ByteArrayInputStream(file.toByteArray()), LineListener.NONE, table);

    assertThat(report.findings()).extracting(Finding::code).containsExactly("type-mismatch");
    assertThat(table.nameBytes()).isGreaterThan(200L * 2 * 2000);
  }

  @Test
  void aJsonSyntaxMessageQuotingTheInputStaysShort() {
    Finding f =
        Validated.of(json("{'request':" + "tru".repeat(3000) + "}")).findings("json-syntax").get(0);

    assertThat(f.message()).hasSizeLessThan(400);
  }
}
