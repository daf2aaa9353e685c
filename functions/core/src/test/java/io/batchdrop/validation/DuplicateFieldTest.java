package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.generationConfig;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.part;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.requestWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A known field given twice in one object, or a key twice in a map or a JSON schema: the backends'
 * proto JSON parsers refuse the line or keep one of the values, so the line does not mean what the
 * user wrote. It is one mistake with one finding, at the second name.
 */
class DuplicateFieldTest {

  private static final ValidatorConfig EMBED =
      ValidatorConfig.defaults().withBackend(Backend.GEMINI_API).withModel("gemini-embedding-001");

  /**
   * {@code line} repeats the field at {@code path}; {@code second} is the second name as written.
   */
  record Repeated(ValidatorConfig config, String line, String path, String second) {
    @Override
    public String toString() {
      return path;
    }

    /** 1-based byte column of the second name's opening quote. */
    int column() {
      String quoted = "\"" + second + "\"";
      int at = line.lastIndexOf(quoted);
      return line.substring(0, at).getBytes(StandardCharsets.UTF_8).length + 1;
    }
  }

  static Stream<Repeated> repeated() {
    ValidatorConfig d = ValidatorConfig.defaults();
    String uri = "'fileUri':'gs://media-in/a.png'";
    return Stream.of(
        new Repeated(d, json("{'key':'a','key':'b','request':{" + CONTENTS + "}}"), "key", "key"),
        new Repeated(
            d,
            json("{'request':{" + CONTENTS + "},'request':{" + CONTENTS + "}}"),
            "request",
            "request"),
        new Repeated(d, request(CONTENTS + "," + CONTENTS), "request.contents", "contents"),
        new Repeated(
            d,
            requestWith("'generationConfig':{'topK':3},'generation_config':{'topK':4}"),
            "request.generation_config",
            "generation_config"),
        new Repeated(
            d,
            requestWith(
                "'systemInstruction':{'parts':[{'text':'a'}]},'systemInstruction':{'parts':[{'text':'b'}]}"),
            "request.systemInstruction",
            "systemInstruction"),
        new Repeated(
            d,
            request("'contents':[{'role':'user','role':'model','parts':[{'text':'hi'}]}]"),
            "request.contents[0].role",
            "role"),
        new Repeated(
            d,
            request("'contents':[{'role':'user','parts':[{'text':'a'}],'parts':[{'text':'b'}]}]"),
            "request.contents[0].parts",
            "parts"),
        new Repeated(
            d, part("{'text':'a','text':'b'}"), "request.contents[0].parts[0].text", "text"),
        new Repeated(
            d, part("{'text':null,'text':'b'}"), "request.contents[0].parts[0].text", "text"),
        new Repeated(
            d,
            part("{'text':'a','thought':true,'thought':false}"),
            "request.contents[0].parts[0].thought",
            "thought"),
        new Repeated(
            d,
            part("{'fileData':{" + uri + ",'mimeType':'image/png','mime_type':'image/jpeg'}}"),
            "request.contents[0].parts[0].fileData.mime_type",
            "mime_type"),
        new Repeated(
            d,
            part("{'fileData':{" + uri + "," + uri + ",'mimeType':'image/png'}}"),
            "request.contents[0].parts[0].fileData.fileUri",
            "fileUri"),
        new Repeated(
            d,
            part("{'inlineData':{'mimeType':'image/png','data':'aGk=','data':'aGk='}}"),
            "request.contents[0].parts[0].inlineData.data",
            "data"),
        new Repeated(
            d,
            generationConfig("'temperature':0.2,'temperature':1.5"),
            "request.generationConfig.temperature",
            "temperature"),
        new Repeated(
            d,
            generationConfig("'topP':0.5,'top_p':0.9"),
            "request.generationConfig.top_p",
            "top_p"),
        new Repeated(
            d,
            generationConfig("'stopSequences':['a'],'stop_sequences':['b']"),
            "request.generationConfig.stop_sequences",
            "stop_sequences"),
        new Repeated(
            d,
            requestWith(
                "'safetySettings':[{'category':'HARM_CATEGORY_HATE_SPEECH','category':'HARM_CATEGORY_HARASSMENT','threshold':'BLOCK_NONE'}]"),
            "request.safetySettings[0].category",
            "category"),
        new Repeated(
            d,
            requestWith(
                "'tools':[{'googleSearch':{'excludeDomains':['a.com']},'google_search':{'excludeDomains':['b.com']}}]"),
            "request.tools[0].google_search",
            "google_search"),
        new Repeated(
            d,
            requestWith(
                "'tools':[{'functionDeclarations':[{'name':'f','description':'a','description':'b'}]}]"),
            "request.tools[0].functionDeclarations[0].description",
            "description"),
        new Repeated(
            d, requestWith("'labels':{'team':'a','team':'a'}"), "request.labels.team", "team"),
        new Repeated(
            d,
            requestWith(
                "'tools':[{'functionDeclarations':[{'name':'f','parametersJsonSchema':{'type':'object','required':['a'],'required':['b']}}]}]"),
            "request.tools[0].functionDeclarations[0].parametersJsonSchema.required",
            "required"),
        new Repeated(
            d,
            generationConfig(
                "'responseMimeType':'application/json','responseSchema':{'type':'ARRAY','items':{'type':'STRING','enum':['a'],'enum':['b']}}"),
            "request.generationConfig.responseSchema.items.enum",
            "enum"),
        new Repeated(
            d,
            requestWith(
                "'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'OBJECT','properties':{'tags':{'type':'ARRAY','maxItems':3,'max_items':4}}}}]}]"),
            "request.tools[0].functionDeclarations[0].parameters.properties.tags.max_items",
            "max_items"),
        new Repeated(
            d,
            generationConfig(
                "'responseMimeType':'application/json','responseSchema':{'type':'OBJECT','properties':{'a':{'type':'STRING'}},'default':{'a':'x','a':'y'}}"),
            "request.generationConfig.responseSchema.default.a",
            "a"),
        new Repeated(
            EMBED,
            request(
                "'content':{'parts':[{'text':'a'}]},'taskType':'CLUSTERING','task_type':'CLASSIFICATION'"),
            "request.task_type",
            "task_type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repeated")
  void aKnownFieldGivenTwiceInOneObjectIsOneFindingAtTheSecondName(Repeated r) {
    Validated v = Validated.of(r.config(), r.line());

    assertThat(v.row(1).valid()).isFalse();
    assertThat(v.report().findings())
        .extracting(Finding::code, Finding::path, Finding::column)
        .containsExactly(tuple("duplicate-field", r.path(), r.column()));
    assertThat(v.report().findings().get(0).message())
        .contains("is given twice in one object")
        .contains("expected each");
  }

  @Test
  void theMessageNamesBothSpellingsOfAFieldThatHasTwo() {
    String line = requestWith("'generationConfig':{'topK':3},'generation_config':{'topK':4}");

    Validated v = Validated.of(line);

    assertThat(v.findings("duplicate-field"))
        .singleElement()
        .extracting(Finding::message)
        .isEqualTo(
            "request.generation_config is given twice in one object (the object opening at column "
                + (line.indexOf("{\"contents\"") + 1)
                + " has it earlier, as \"generation_config\" or \"generationConfig\"); expected"
                + " each field once: the backend refuses such a line or keeps only one of the"
                + " values");
  }

  @Test
  void theSameDataMemberTwiceIsNotAlsoTwoDataMembers() {
    Validated v = Validated.of(part("{'text':'a','text':'b'}"));

    assertThat(v.codes()).doesNotContain("part-multiple-data");
  }

  @Test
  void aPartWithARepeatedAndAnotherDataMemberHasBothFindings() {
    Validated v =
        Validated.of(
            part(
                "{'text':'a','text':'b','fileData':{'fileUri':'gs://media-in/a.png','mimeType':'image/png'}}"));

    assertThat(v.report().findings())
        .extracting(Finding::code, Finding::path)
        .containsExactly(
            tuple("duplicate-field", "request.contents[0].parts[0].text"),
            tuple("part-multiple-data", "request.contents[0].parts[0]"));
    assertThat(v.findings("part-multiple-data").get(0).message())
        .contains("has both text and fileData");
  }

  @Test
  void theSameFieldInTwoObjectsIsNotADuplicate() {
    Validated v =
        Validated.of(
            request(
                "'contents':[{'role':'user','parts':[{'text':'a'},{'text':'b'}]},"
                    + "{'role':'model','parts':[{'text':'c'}]}],"
                    + "'systemInstruction':{'role':'user','parts':[{'text':'d'}]}"));

    assertThat(v.report().findings()).isEmpty();
    assertThat(v.row(1).valid()).isTrue();
  }
}
