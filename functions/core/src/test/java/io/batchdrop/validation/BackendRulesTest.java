package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.generationConfig;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.part;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.requestWith;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules that differ between Vertex and the Gemini API, in {@link RuleCatalogTest}'s style: each
 * file is validated for both backends; on the backends it names, the rule is reported at its path
 * with what was expected, and on the others the rule is not reported (and, where the other service
 * takes the line, the row is valid there).
 */
class BackendRulesTest {

  private static final ValidatorConfig VERTEX = ValidatorConfig.defaults();

  /**
   * {@code file} reports {@code rule} at {@code path} (message containing {@code expected}) on
   * {@code reportedOn}; on every other backend it does not, and the rows are all valid there when
   * {@code validElsewhere}.
   */
  record Case(
      Rule rule,
      ValidatorConfig config,
      String file,
      Set<Backend> reportedOn,
      String path,
      String expected,
      boolean validElsewhere) {
    @Override
    public String toString() {
      return rule.code() + " on " + reportedOn + " <- " + file;
    }
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    Set<Backend> vertex = EnumSet.of(Backend.VERTEX);
    Set<Backend> gemini = EnumSet.of(Backend.GEMINI_API);
    // The key goes to Vertex as written; to the Gemini API Batchdrop sends row-N.
    c.add(
        new Case(
            Rule.KEY_NUMERIC,
            VERTEX,
            json("{'key':'007','request':{" + CONTENTS + "}}"),
            vertex,
            "key",
            "expected a key with a letter in it",
            true));
    c.add(
        new Case(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            VERTEX.withAllowedFileBuckets(Set.of("media")),
            part("{'fileData':{'fileUri':'gs://other/cat.png','mimeType':'image/png'}}"),
            vertex,
            "request.contents[0].parts[0].fileData.fileUri",
            "expected one of the allowed buckets media",
            false)); // on the Gemini API a gs:// URI is file-uri-invalid
    // The importer's rules: the documented way to enable search is an empty object.
    c.add(
        new Case(
            Rule.EMPTY_OBJECT,
            VERTEX,
            requestWith("'tools':[{'google_search':{}}]"),
            vertex,
            "request.tools[0].google_search",
            "the Vertex importer fails the whole job on empty objects",
            true));
    c.add(
        new Case(
            Rule.DOLLAR_KEY,
            VERTEX,
            generationConfig(
                "'responseMimeType':'application/json','responseJsonSchema':{'$defs':{'a':{'type':'string'}},'type':'object'}"),
            vertex,
            "request.generationConfig.responseJsonSchema.$defs",
            "rename or inline it",
            true));
    c.add(
        new Case(
            Rule.KEY_WITH_SPACE,
            VERTEX,
            part("{'functionCall':{'name':'f','args':{'first name':'Ada'}}}"),
            vertex,
            "request.contents[0].parts[0].functionCall.args[\"first name\"]",
            "use letters, digits and _",
            true));
    c.add(
        new Case(
            Rule.SCHEMA_KEY_INVALID,
            VERTEX,
            generationConfig(
                "'responseMimeType':'application/json','responseSchema':{'type':'OBJECT','properties':{'first-name':{'type':'STRING'}}}"),
            vertex,
            "request.generationConfig.responseSchema.properties[\"first-name\"]",
            "expected a name the Vertex importer accepts",
            true));
    c.add(
        new Case(
            Rule.NESTING_TOO_DEEP,
            VERTEX,
            requestWith("'toolConfig':" + nested(16)),
            vertex,
            "request.toolConfig" + ".a".repeat(15),
            "the Vertex importer accepts at most 15",
            true));
    c.add(
        new Case(
            Rule.TYPE_MISMATCH,
            VERTEX,
            requestWith("'toolConfig':{'functionCallingConfig':{'mode':'AUTO'}}")
                + "\n"
                + requestWith("'toolConfig':{'functionCallingConfig':{'mode':1}}"),
            vertex,
            "request.toolConfig.functionCallingConfig.mode",
            "the Vertex importer needs one JSON type per field across the file",
            true));
    c.add(
        new Case(
            Rule.KEY_PATH_TRACKING_STOPPED,
            VERTEX,
            requestWith("'toolConfig':" + manyKeys(RequestValidator.KEY_PATH_CAPACITY)),
            vertex,
            "request.toolConfig.k" + (RequestValidator.KEY_PATH_CAPACITY - 9),
            "are not checked for one JSON type",
            true));
    // What fileUri may name.
    c.add(
        new Case(
            Rule.FILE_URI_INVALID,
            VERTEX,
            part("{'fileData':{'fileUri':'gs://media/cat.png','mimeType':'image/png'}}"),
            gemini,
            "request.contents[0].parts[0].fileData.fileUri",
            "the Gemini API cannot read Cloud Storage",
            true));
    c.add(
        new Case(
            Rule.FILE_URI_INVALID,
            VERTEX,
            part(
                "{'fileData':{'fileUri':'https://generativelanguage.googleapis.com/v1beta/files/abc-123','mimeType':'application/pdf'}}"),
            vertex,
            "request.contents[0].parts[0].fileData.fileUri",
            "expected a Cloud Storage URI gs://bucket/object",
            true));
    c.add(
        new Case(
            Rule.FILE_URI_INVALID,
            VERTEX,
            part(
                "{'file_data':{'file_uri':'https://www.youtube.com/watch?v=9hE5-98ZeCg','mime_type':'video/mp4'}}"),
            vertex,
            "request.contents[0].parts[0].file_data.file_uri",
            "expected a Cloud Storage URI gs://bucket/object",
            true));
    c.add(
        new Case(
            Rule.FILE_URI_INVALID,
            VERTEX,
            part("{'fileData':{'fileUri':'https://example.com/cat.png','mimeType':'image/png'}}"),
            EnumSet.allOf(Backend.class),
            "request.contents[0].parts[0].fileData.fileUri",
            "expected",
            false));
    // Fields the Gemini API lacks that do not change the answer: left out of its copy, a warning.
    c.add(
        new Case(
            Rule.FIELD_DROPPED_ON_BACKEND,
            VERTEX,
            requestWith("'labels':{'team':'ml'}"),
            gemini,
            "request.labels.team",
            "the Gemini API has no labels",
            true));
    c.add(
        new Case(
            Rule.FIELD_DROPPED_ON_BACKEND,
            VERTEX,
            part("{'inlineData':{'mimeType':'image/png','data':'aGk=','displayName':'a.png'}}"),
            gemini,
            "request.contents[0].parts[0].inlineData.displayName",
            "the Gemini API has no displayName here",
            true));
    // Fields the official SDK refuses for one backend.
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            requestWith(
                "'modelArmorConfig':{'promptTemplateName':'projects/p/locations/l/templates/t'}"),
            gemini,
            "request.modelArmorConfig",
            "expected no modelArmorConfig on the Gemini API",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            generationConfig("'routingConfig':{'autoMode':{'modelRoutingPreference':'BALANCED'}}"),
            gemini,
            "request.generationConfig.routingConfig",
            "run this file on the vertex backend",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            requestWith(
                "'safetySettings':[{'category':'HARM_CATEGORY_HATE_SPEECH','threshold':'BLOCK_LOW_AND_ABOVE','method':'SEVERITY'}]"),
            gemini,
            "request.safetySettings[0].method",
            "a field of a safety setting on Vertex AI only",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            requestWith(
                "'tools':[{'retrieval':{'vertexAiSearch':{'datastore':'projects/p/locations/global/collections/default_collection/dataStores/d'}}}]"),
            gemini,
            "request.tools[0].retrieval",
            "a field of a tool on Vertex AI only",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            generationConfig("'enableEnhancedCivicAnswers':true"),
            vertex,
            "request.generationConfig.enableEnhancedCivicAnswers",
            "run this file on the gemini-api backend",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            requestWith(
                "'tools':[{'file_search':{'fileSearchStoreNames':['fileSearchStores/s1']}}]"),
            vertex,
            "request.tools[0].file_search",
            "expected no file_search on Vertex AI",
            true));
    c.add(
        new Case(
            Rule.FIELD_NOT_ON_BACKEND,
            VERTEX,
            part("{'text':'hi','partMetadata':{'source':'doc-1'}}"),
            vertex,
            "request.contents[0].parts[0].partMetadata",
            "a field of a part on the Gemini API only",
            true));
    // Embeddings: batches of them only on the Gemini API; on Vertex the file is rejected whole.
    ValidatorConfig embed = VERTEX.withModel("gemini-embedding-001");
    String toEmbed = "'content':{'parts':[{'text':'a document'}]}";
    c.add(
        new Case(
            Rule.EMBEDDINGS_NOT_SUPPORTED,
            embed,
            request("'content':{'parts':[{'text':'a document'}]},'taskType':'RETRIEVAL_DOCUMENT'"),
            vertex,
            "",
            "expected a generation model on vertex, or this file on the gemini-api backend",
            true));
    c.add(
        new Case(
            Rule.CONTENT_MISSING,
            embed,
            request("'title':'Doc 1'"),
            gemini,
            "request",
            "expected one content to embed",
            false));
    c.add(
        new Case(
            Rule.GENERATE_FIELD_IN_EMBEDDING,
            embed,
            request(toEmbed + ",'generationConfig':{'temperature':0}"),
            gemini,
            "request.generationConfig",
            "the model is an embedding model",
            false));
    c.add(
        new Case(
            Rule.TASK_TYPE_INVALID,
            embed,
            request(toEmbed + ",'taskType':'SEARCH'"),
            gemini,
            "request.taskType",
            "expected one of",
            false));
    c.add(
        new Case(
            Rule.OUTPUT_DIMENSIONALITY_INVALID,
            embed,
            request(toEmbed + ",'outputDimensionality':767.5"),
            gemini,
            "request.outputDimensionality",
            "expected a whole number from 1 to 3072",
            false));
    return c.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBackendRuleIsReportedOnItsBackendsOnly(Case c) {
    for (Backend backend : Backend.values()) {
      Validated v = Validated.of(c.config().withBackend(backend), c.file());
      List<Finding> found = v.findings(c.rule().code());
      if (c.reportedOn().contains(backend)) {
        assertThat(found)
            .as("%s on %s in %s", c.rule().code(), backend, v.report().findings())
            .isNotEmpty();
        Finding f = found.get(0);
        assertThat(f.path()).isEqualTo(c.path());
        assertThat(f.severity()).isEqualTo(c.rule().severity());
        assertThat(f.message()).contains(c.expected());
        if (f == v.report().rejection()) {
          assertThat(ValidationPolicy.defaults().judge(v.report()).accepted()).isFalse();
        } else if (f.severity() == Severity.ERROR) {
          assertThat(v.row(f.line()).valid()).isFalse();
        }
      } else {
        assertThat(found).as("%s on %s", c.rule().code(), backend).isEmpty();
        if (c.validElsewhere()) {
          assertThat(v.report().invalid()).as("on %s: %s", backend, v.report().findings()).isZero();
        }
      }
    }
  }

  @Test
  void everyRuleOfOneBackendOrThatDiffersByBackendHasACaseHere() {
    Set<Rule> covered =
        cases().map(Case::rule).collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    Set<Rule> oneBackend =
        Arrays.stream(Rule.values())
            .filter(r -> r.backends().size() < Backend.values().length)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    assertThat(covered).containsAll(oneBackend);
    assertThat(Arrays.stream(Rule.values())).allMatch(r -> !r.backends().isEmpty());
  }

  @Test
  void theSameFileIsCleanOnTheGeminiApiAndFailsAVertexImport() {
    String file =
        requestWith("'tools':[{'googleSearch':{}}]")
            + "\n"
            + json("{'key':'42','request':{" + CONTENTS + "}}")
            + "\n"
            + part(
                "{'fileData':{'fileUri':'https://generativelanguage.googleapis.com/v1beta/files/f1','mimeType':'application/pdf'}}");

    Validated gemini = Validated.of(VERTEX.withBackend(Backend.GEMINI_API), file);
    Validated vertex = Validated.of(VERTEX, file);

    assertThat(gemini.report().invalid()).as("%s", gemini.report().findings()).isZero();
    assertThat(vertex.report().invalid()).isEqualTo(3);
    assertThat(vertex.codes()).contains("empty-object", "key-numeric", "file-uri-invalid");
  }

  @Test
  void backendsAreParsedByTheirIdsAndAnUnknownOneSaysWhatIsExpected() {
    assertThat(Backend.parse(" Gemini-API ")).isEqualTo(Backend.GEMINI_API);
    assertThat(Backend.parse("vertex")).isEqualTo(Backend.VERTEX);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backend.parse("openai"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected vertex or gemini-api");
    assertThat(Backend.GEMINI_API.maxJobBytes()).isEqualTo(2_000_000_000L);
    assertThat(Backend.VERTEX.maxJobBytes()).isEqualTo(1_000_000_000L);
  }

  /** {@code levels} nested objects: {"a":{"a":...{"b":1}...}}. */
  private static String nested(int levels) {
    return "{'a':".repeat(levels - 1) + "{'b':1}" + "}".repeat(levels - 1);
  }

  private static String manyKeys(int n) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("'k").append(i).append("':").append(i);
    }
    return sb.append('}').toString();
  }
}
