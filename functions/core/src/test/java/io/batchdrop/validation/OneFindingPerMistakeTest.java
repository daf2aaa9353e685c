package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.generationConfig;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.part;
import static io.batchdrop.validation.Lines.parts;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.requestWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A known field of the wrong JSON type is one mistake: its own rule says what was expected, and the
 * type-consistency rule, which is for fields no rule knows, does not report it a second time, nor
 * does a later value of the right type clash with it.
 */
class OneFindingPerMistakeTest {

  /**
   * {@code right} is a valid line with the field's right type, {@code wrong} the same field not.
   */
  record WrongType(String code, String path, String right, String wrong) {
    @Override
    public String toString() {
      return code + " at " + path;
    }
  }

  static Stream<WrongType> wrongTypes() {
    String fileUri = "'fileUri':'gs://media-in/a.png'";
    return Stream.of(
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].text",
            part("{'text':'hi'}"),
            part("{'text':42}")),
        new WrongType(
            "role-invalid",
            "request.contents[0].role",
            request("'contents':[{'role':'user','parts':[{'text':'hi'}]}]"),
            request("'contents':[{'role':7,'parts':[{'text':'hi'}]}]")),
        new WrongType(
            "parts-not-array",
            "request.contents[0].parts",
            parts("[{'text':'hi'}]"),
            parts("'hi'")),
        new WrongType(
            "contents-not-array",
            "request.contents",
            request(CONTENTS),
            request("'contents':'hi'")),
        new WrongType(
            "content-not-object",
            "request.contents[0]",
            request(CONTENTS),
            request("'contents':['hi']")),
        new WrongType(
            "part-not-object",
            "request.contents[0].parts[0]",
            parts("[{'text':'hi'}]"),
            parts("['hi']")),
        new WrongType(
            "field-type",
            "request.generationConfig.temperature",
            generationConfig("'temperature':0.5"),
            generationConfig("'temperature':'0.5'")),
        new WrongType(
            "field-type",
            "request.generationConfig.maxOutputTokens",
            generationConfig("'maxOutputTokens':256"),
            generationConfig("'maxOutputTokens':'256'")),
        new WrongType(
            "field-type",
            "request.generationConfig.responseMimeType",
            generationConfig("'responseMimeType':'text/plain'"),
            generationConfig("'responseMimeType':1")),
        new WrongType(
            "field-type",
            "request.generationConfig",
            generationConfig("'temperature':0.5"),
            requestWith("'generationConfig':'hot'")),
        new WrongType(
            "field-type",
            "request.systemInstruction",
            requestWith("'systemInstruction':{'parts':[{'text':'be brief'}]}"),
            requestWith("'systemInstruction':'be brief'")),
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].fileData",
            part("{'fileData':{" + fileUri + ",'mimeType':'image/png'}}"),
            part("{'fileData':'gs://media-in/a.png'}")),
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].fileData.fileUri",
            part("{'fileData':{" + fileUri + ",'mimeType':'image/png'}}"),
            part("{'fileData':{'fileUri':7,'mimeType':'image/png'}}")),
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].fileData.mimeType",
            part("{'fileData':{" + fileUri + ",'mimeType':'image/png'}}"),
            part("{'fileData':{" + fileUri + ",'mimeType':7}}")),
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].inlineData.data",
            part("{'inlineData':{'mimeType':'image/png','data':'aGk='}}"),
            part("{'inlineData':{'mimeType':'image/png','data':7}}")),
        new WrongType(
            "field-type",
            "request.contents[0].parts[0].functionCall",
            part("{'functionCall':{'name':'f'}}"),
            part("{'functionCall':'f'}")),
        new WrongType(
            "field-type",
            "request.tools",
            requestWith("'tools':[{'googleSearch':{'excludeDomains':['a.example']}}]"),
            requestWith("'tools':{'googleSearch':{'excludeDomains':['a.example']}}")),
        new WrongType(
            "key-not-string",
            "key",
            json("{'key':'doc-1','request':{" + CONTENTS + "}}"),
            json("{'key':1,'request':{" + CONTENTS + "}}")),
        new WrongType(
            "label-invalid",
            "request.labels.team",
            requestWith("'labels':{'team':'search'}"),
            requestWith("'labels':{'team':7}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wrongTypes")
  void aKnownFieldOfTheWrongTypeAfterAValidLineGetsOnlyItsOwnFinding(WrongType w) {
    Validated v = Validated.of(w.right() + "\n" + w.wrong());

    assertThat(v.report().invalid()).isEqualTo(1);
    assertThat(v.row(1).valid()).isTrue();
    assertThat(v.row(2).findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(w.code());
              assertThat(f.path()).isEqualTo(w.path());
            });
  }

  /** A line with one mistake and the codes it must get, all at the same path. */
  record OneMistake(String line, String path, List<String> codes) {
    @Override
    public String toString() {
      return String.join(",", codes) + " at " + path;
    }
  }

  static Stream<OneMistake> emptyObjects() {
    return Stream.of(
        // An empty object for a field that takes something else.
        new OneMistake(request("'contents':{}"), "request.contents", List.of("contents-not-array")),
        new OneMistake(
            part("{'text':{}}"), "request.contents[0].parts[0].text", List.of("field-type")),
        new OneMistake(
            request("'contents':[{'role':{},'parts':[{'text':'hi'}]}]"),
            "request.contents[0].role",
            List.of("role-invalid")),
        new OneMistake(
            json("{'key':{},'request':{" + CONTENTS + "}}"), "key", List.of("key-not-string")),
        new OneMistake(
            requestWith("'labels':{'team':{}}"), "request.labels.team", List.of("label-invalid")),
        new OneMistake(
            generationConfig("'temperature':{}"),
            "request.generationConfig.temperature",
            List.of("field-type")),
        // An empty object that lacks a member it must have.
        new OneMistake(json("{'request':{}}"), "request", List.of("contents-missing")),
        new OneMistake(request("'contents':[{}]"), "request.contents[0]", List.of("parts-missing")),
        new OneMistake(
            requestWith("'systemInstruction':{}"),
            "request.systemInstruction",
            List.of("parts-missing")),
        new OneMistake(parts("[{}]"), "request.contents[0].parts[0]", List.of("part-no-data")),
        new OneMistake(
            part("{'fileData':{}}"),
            "request.contents[0].parts[0].fileData",
            List.of("file-uri-missing", "mime-type-missing")),
        new OneMistake(
            part("{'inlineData':{}}"),
            "request.contents[0].parts[0].inlineData",
            List.of("inline-data-missing", "mime-type-missing")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emptyObjects")
  void anEmptyObjectItsFieldsRuleReportsIsNotAlsoAnEmptyObjectFinding(OneMistake m) {
    Validated v = Validated.of(m.line());

    assertThat(v.report().findings()).extracting(Finding::code).isEqualTo(m.codes());
    assertThat(v.report().findings()).extracting(Finding::path).containsOnly(m.path());
  }

  @Test
  void anEmptyObjectNoOtherRuleReportsIsStillAnEmptyObjectFinding() {
    String file =
        String.join(
            "\n",
            requestWith("'generationConfig':{}"),
            part("{'functionCall':{}}"),
            requestWith("'tools':[{}]"),
            part("{'text':{'a':{}}}"));

    Validated v = Validated.of(file);

    assertThat(v.report().findings())
        .extracting(Finding::code, Finding::path)
        .containsExactly(
            tuple("empty-object", "request.generationConfig"),
            tuple("empty-object", "request.contents[0].parts[0].functionCall"),
            tuple("empty-object", "request.tools[0]"),
            tuple("field-type", "request.contents[0].parts[0].text"),
            tuple("empty-object", "request.contents[0].parts[0].text.a"));
  }

  @Test
  void aLabelNameTheLabelRulesRefuseIsNotAlsoAKeyFinding() {
    Validated v = Validated.of(requestWith("'labels':{'cost center':'x','$team':'y'}"));

    assertThat(v.report().findings())
        .extracting(Finding::code, Finding::path)
        .containsExactly(
            tuple("label-invalid", "request.labels[\"cost center\"]"),
            tuple("label-invalid", "request.labels.$team"));
  }

  @Test
  void aWrongTypeBeforeTheRightOneOnTheSameLineIsTheOnlyFinding() {
    Validated v = Validated.of(parts("[{'text':42},{'text':'hi'}]"));

    assertThat(v.report().findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("field-type");
              assertThat(f.path()).isEqualTo("request.contents[0].parts[0].text");
            });
  }

  @Test
  void aRightTypeBeforeTheWrongOneOnTheSameLineIsTheOnlyFinding() {
    Validated v = Validated.of(parts("[{'text':'hi'},{'text':42}]"));

    assertThat(v.report().findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo("field-type");
              assertThat(f.path()).isEqualTo("request.contents[0].parts[1].text");
            });
  }

  @Test
  void aFieldNoRuleKnowsStillGetsTheTypeMismatch() {
    Validated v =
        Validated.of(
            request(CONTENTS + ",'meta':{'n':1}") + "\n" + request(CONTENTS + ",'meta':{'n':'1'}"));

    assertThat(v.report().invalid()).isEqualTo(1);
    assertThat(v.codes()).containsExactly("unknown-field", "unknown-field", "type-mismatch");
  }

  @Test
  void aRightTypeAfterAnInvalidLineWithTheWrongOneIsStillValid() {
    Validated v = Validated.of(part("{'text':42}") + "\n" + part("{'text':'hi'}"));

    assertThat(v.report().invalid()).isEqualTo(1);
    assertThat(v.row(2).valid()).isTrue();
    assertThat(v.codes()).containsExactly("field-type");
  }
}
