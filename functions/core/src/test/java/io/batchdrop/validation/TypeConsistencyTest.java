package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.parts;
import static io.batchdrop.validation.Lines.request;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One JSON type per key path across the file, as the Vertex importer needs. */
class TypeConsistencyTest {

  @Test
  void onlyValidLinesSetTheTypeLaterLinesMustMatch() {
    String file =
        String.join(
            "\n",
            json(
                "{'request':{'contents':[{'role':'tester','parts':[{'text':'x'}]}],'meta':{'n':'one'}}}"), // invalid
            request(CONTENTS + ",'meta':{'n':1}"),
            request(CONTENTS + ",'meta':{'n':'one'}"));

    Validated v = Validated.of(file);

    assertThat(v.row(2).valid()).isTrue();
    assertThat(v.row(3).valid()).isFalse();
    assertThat(v.findings("type-mismatch"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.message()).contains("is a number on line 2");
            });
  }

  @Test
  void arrayElementsShareOnePathAndMustAgreeWithinALine() {
    Validated v = Validated.of(request(CONTENTS + ",'meta':{'tags':[1,'two']}"));

    assertThat(v.findings("type-mismatch"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.path()).isEqualTo("request.meta.tags[1]");
              assertThat(f.message())
                  .contains("request.meta.tags[] is a number elsewhere on this line");
            });
  }

  @Test
  void aBarePartsObjectCountsAsTheArrayItIsStagedAs() {
    String file =
        parts("[{'text':'a'}]") + "\n" + parts("{'text':'b'}") + "\n" + parts("[{'text':'c'}]");

    Validated v = Validated.of(file);

    assertThat(v.report().invalid()).isZero();
    assertThat(v.codes()).containsExactly("parts-object");
  }

  @Test
  void nullFitsAnyTypeAndSnakeCaseIsItsOwnPath() {
    String file =
        String.join(
            "\n",
            request(CONTENTS + ",'generationConfig':{'temperature':0.5}"),
            request(CONTENTS + ",'generationConfig':{'temperature':null}"),
            request(CONTENTS + ",'generation_config':{'temperature':1}"));

    assertThat(Validated.of(file).report().findings()).isEmpty();
  }

  @Test
  void aPathFirstSeenAsNullTakesTheTypeOfItsFirstValue() {
    String file =
        String.join(
            "\n",
            request(CONTENTS + ",'meta':{'n':null}"),
            request(CONTENTS + ",'meta':{'n':[1]}"),
            request(CONTENTS + ",'meta':{'n':true}"));

    Validated v = Validated.of(file);

    assertThat(v.findings("type-mismatch"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.line()).isEqualTo(3);
              assertThat(f.message())
                  .contains(
                      "is a boolean, but request.meta.n is an array on line 2; expected an array");
            });
  }
}
