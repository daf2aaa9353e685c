package io.batchdrop.validation;

import static io.batchdrop.validation.Lines.CONTENTS;
import static io.batchdrop.validation.Lines.generationConfig;
import static io.batchdrop.validation.Lines.json;
import static io.batchdrop.validation.Lines.part;
import static io.batchdrop.validation.Lines.parts;
import static io.batchdrop.validation.Lines.request;
import static io.batchdrop.validation.Lines.requestWith;
import static io.batchdrop.validation.Lines.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every rule: a file that triggers it (code, line, column, path and the "expected" part of the
 * message) and a near miss that does not.
 */
class RuleCatalogTest {

  private static final ValidatorConfig DEFAULTS = ValidatorConfig.defaults();
  private static final ValidatorConfig EMBED =
      DEFAULTS.withBackend(Backend.GEMINI_API).withModel("gemini-embedding-001");
  private static final String TO_EMBED = "'content':{'parts':[{'text':'a document'}]}";

  /**
   * A file that must produce {@code rule} at line/column/path, with a message containing {@code
   * expected}.
   */
  record Trigger(
      Rule rule,
      ValidatorConfig config,
      byte[] file,
      long line,
      int column,
      String path,
      String expected) {
    @Override
    public String toString() {
      return rule.code() + " <- " + new String(file, StandardCharsets.UTF_8).replace("\n", "\\n");
    }
  }

  /** A file close to a trigger that must not produce {@code rule} and whose rows are all valid. */
  record NearMiss(Rule rule, ValidatorConfig config, byte[] file) {
    @Override
    public String toString() {
      return rule.code() + " !<- " + new String(file, StandardCharsets.UTF_8).replace("\n", "\\n");
    }
  }

  static Stream<Trigger> triggers() {
    List<Trigger> t = new ArrayList<>();
    // The line as bytes and JSON.
    t.add(
        trigger(
            Rule.LINE_TOO_LONG,
            DEFAULTS.withMaxLineBytes(100),
            request(CONTENTS + ",'x':'" + "a".repeat(100) + "'"),
            1,
            0,
            "",
            "expected at most 100 bytes"));
    t.add(
        trigger(
            Rule.LINE_TOO_LONG,
            DEFAULTS.withMaxLineBytes(stagedLength(SINGLE_OBJECT_PARTS) - 1),
            SINGLE_OBJECT_PARTS,
            1,
            0,
            "",
            "single-object \"parts\" is wrapped in an array; expected at most"));
    t.add(
        new Trigger(
            Rule.INVALID_UTF8,
            DEFAULTS,
            notUtf8Line(),
            1,
            indexOf(notUtf8Line(), (byte) 0xC3) + 1,
            "",
            "expected UTF-8 text"));
    t.add(
        new Trigger(
            Rule.FILE_NOT_UTF8,
            DEFAULTS,
            (valid() + "\n").getBytes(StandardCharsets.UTF_16), // Java writes a BE byte order mark
            1,
            1,
            "",
            "the file starts with a UTF-16 BE byte order mark; expected UTF-8 text"));
    String cut = valid().substring(0, valid().length() - 1);
    t.add(
        trigger(
            Rule.JSON_SYNTAX,
            DEFAULTS,
            cut,
            1,
            cut.length() + 1,
            "",
            "expected one JSON object per line"));
    t.add(
        trigger(
            Rule.TRAILING_DATA,
            DEFAULTS,
            valid() + " x",
            1,
            valid().length() + 2,
            "",
            "expected exactly one JSON object per line"));
    t.add(
        trigger(
            Rule.LINE_NOT_OBJECT,
            DEFAULTS,
            json("['request']"),
            1,
            1,
            "",
            "expected a JSON object"));
    t.add(
        trigger(
            Rule.BLANK_LINE,
            DEFAULTS,
            valid() + "\n  \t\n" + valid(),
            2,
            0,
            "",
            "blank lines are skipped"));
    t.add(trigger(Rule.UTF8_BOM, DEFAULTS, "\uFEFF" + valid(), 1, 1, "", "expected none"));
    t.add(
        trigger(
            Rule.CRLF_LINE_ENDINGS,
            DEFAULTS,
            valid() + "\r\n" + valid() + "\r\n",
            1,
            0,
            "",
            "expected LF"));
    t.add(
        trigger(
            Rule.CRLF_LINE_ENDINGS,
            DEFAULTS,
            valid() + "\n" + valid() + "\r",
            2,
            0,
            "",
            "the last line ends with a bare CR and no LF; expected LF"));
    t.add(
        trigger(
            Rule.CR_LINE_ENDINGS,
            DEFAULTS,
            valid() + "\r" + valid() + "\r",
            1,
            valid().length() + 1,
            "",
            "classic Mac OS line endings); expected LF or CR LF line endings"));

    // The line's own members.
    String noRequest = json("{'key':'a','prompt':'hi'}");
    t.add(
        trigger(
            Rule.REQUEST_MISSING,
            DEFAULTS,
            noRequest,
            1,
            1,
            "",
            "expected an object such as {\"request\""));
    t.add(
        trigger(
            Rule.REQUEST_NOT_OBJECT,
            DEFAULTS,
            json("{'request':'hi'}"),
            1,
            "'hi'",
            "request",
            "request is a string; expected an object"));
    t.add(
        trigger(
            Rule.KEY_NOT_STRING,
            DEFAULTS,
            withKey("42"),
            1,
            "42",
            "key",
            "key is a number; expected a non-empty string"));
    t.add(
        trigger(
            Rule.KEY_EMPTY,
            DEFAULTS,
            withKey("''"),
            1,
            "''",
            "key",
            "expected a non-empty string"));
    t.add(
        trigger(
            Rule.KEY_TOO_LONG,
            DEFAULTS,
            withKey("'" + "k".repeat(257) + "'"),
            1,
            "'kk",
            "key",
            "key is 257 characters long; expected at most 256"));
    t.add(
        trigger(
            Rule.KEY_NUMERIC,
            DEFAULTS,
            withKey("'000123'"),
            1,
            "'000123'",
            "key",
            "expected a key with a letter in it, e.g. \"id-000123\""));

    // GenerateContentRequest.
    t.add(
        trigger(
            Rule.CONTENTS_MISSING,
            DEFAULTS,
            request("'generationConfig':{'temperature':1}"),
            1,
            "{'generationConfig'",
            "request",
            "expected a non-empty array"));
    t.add(
        trigger(
            Rule.CONTENTS_NOT_ARRAY,
            DEFAULTS,
            request("'contents':{'role':'user','parts':[{'text':'hi'}]}"),
            1,
            "{'role'",
            "request.contents",
            "request.contents is an object; expected an array"));
    t.add(
        trigger(
            Rule.CONTENTS_EMPTY,
            DEFAULTS,
            request("'contents':[]"),
            1,
            "[]",
            "request.contents",
            "request.contents is an empty array; expected at least one content"));
    t.add(
        trigger(
            Rule.CONTENT_NOT_OBJECT,
            DEFAULTS,
            request("'contents':['hi']"),
            1,
            "'hi'",
            "request.contents[0]",
            "request.contents[0] is a string; expected an object"));
    t.add(
        trigger(
            Rule.ROLE_INVALID,
            DEFAULTS,
            request("'contents':[{'role':'tester','parts':[{'text':'hi'}]}]"),
            1,
            "'tester'",
            "request.contents[0].role",
            "request.contents[0].role is \"tester\"; expected \"user\" or \"model\""));
    t.add(
        trigger(
            Rule.PARTS_MISSING,
            DEFAULTS,
            request("'contents':[{'role':'user'}]"),
            1,
            "{'role'",
            "request.contents[0]",
            "request.contents[0] has no \"parts\"; expected a non-empty array of parts"));
    t.add(
        trigger(
            Rule.PARTS_NOT_ARRAY,
            DEFAULTS,
            parts("'hi'"),
            1,
            "'hi'",
            "request.contents[0].parts",
            "request.contents[0].parts is a string; expected an array of parts"));
    t.add(
        trigger(
            Rule.PARTS_OBJECT,
            DEFAULTS,
            parts("{'text':'hi'}"),
            1,
            "{'text'",
            "request.contents[0].parts",
            "expected an array of parts: it is staged as [that object]"));
    t.add(
        trigger(
            Rule.PARTS_EMPTY,
            DEFAULTS,
            parts("[]"),
            1,
            "[]",
            "request.contents[0].parts",
            "expected at least one part"));
    t.add(
        trigger(
            Rule.PART_NOT_OBJECT,
            DEFAULTS,
            parts("['hi']"),
            1,
            "'hi'",
            "request.contents[0].parts[0]",
            "expected an object with exactly one of text, inlineData, fileData"));
    t.add(
        trigger(
            Rule.PART_NO_DATA,
            DEFAULTS,
            part("{'thought':true}"),
            1,
            "{'thought'",
            "request.contents[0].parts[0]",
            "has no data; expected exactly one of text, inlineData, fileData"));
    t.add(
        trigger(
            Rule.PART_MULTIPLE_DATA,
            DEFAULTS,
            part("{'text':'a','inlineData':{'mimeType':'image/png','data':'AAAA'}}"),
            1,
            "{'text'",
            "request.contents[0].parts[0]",
            "has both text and inlineData; expected exactly one data member per part"));
    String twoRoles =
        request("'contents':[{'role':'user','parts':[{'text':'hi'}],'role':'model'}]");
    t.add(
        trigger(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            twoRoles,
            1,
            twoRoles.lastIndexOf("\"role\"") + 1,
            "request.contents[0].role",
            "request.contents[0].role is given twice in one object (the object opening at column "
                + (twoRoles.indexOf("{\"role\"") + 1)
                + " has it earlier); expected each field once"));
    String twoThresholds =
        requestWith(
            "'safetySettings':[{'category':'HARM_CATEGORY_HATE_SPEECH','threshold':'BLOCK_NONE',"
                + "'threshold':'BLOCK_ONLY_HIGH'}]");
    t.add(
        repeated(
            twoThresholds,
            "threshold",
            "request.safetySettings[0].threshold",
            "{\"category\"",
            "); expected each field once"));
    String twoDeclarationLists =
        requestWith(
            "'tools':[{'functionDeclarations':[{'name':'f'}],'function_declarations':[{'name':'g'}]}]");
    t.add(
        repeated(
            twoDeclarationLists,
            "function_declarations",
            "request.tools[0].function_declarations",
            "{\"functionDeclarations\"",
            ", as \"function_declarations\" or \"functionDeclarations\"); expected each field once"));
    String twoNames = requestWith("'tools':[{'functionDeclarations':[{'name':'f','name':'g'}]}]");
    t.add(
        repeated(
            twoNames,
            "name",
            "request.tools[0].functionDeclarations[0].name",
            "{\"name\"",
            "); expected each field once"));
    String twoLabels = requestWith("'labels':{'team':'a','team':'b'}");
    t.add(
        repeated(
            twoLabels, "team", "request.labels.team", "{\"team\"", "); expected each key once"));
    String twoProperties =
        requestWith(
            "'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'OBJECT',"
                + "'properties':{'city':{'type':'STRING'},'city':{'type':'INTEGER'}}}}]}]");
    t.add(
        repeated(
            twoProperties,
            "city",
            "request.tools[0].functionDeclarations[0].parameters.properties.city",
            "{\"city\"",
            "); expected each key once"));
    String twoSchemaTypes =
        generationConfig(
            "'responseMimeType':'application/json','responseSchema':{'type':'OBJECT','type':'ARRAY'}");
    t.add(
        repeated(
            twoSchemaTypes,
            "type",
            "request.generationConfig.responseSchema.type",
            "{\"type\"",
            "); expected each field once"));
    String twoJsonSchemaKeys =
        generationConfig(
            "'responseMimeType':'application/json','responseJsonSchema':{'type':'object',"
                + "'properties':{'n':{'type':'integer','minimum':0,'minimum':1}}}");
    t.add(
        repeated(
            twoJsonSchemaKeys,
            "minimum",
            "request.generationConfig.responseJsonSchema.properties.n.minimum",
            "{\"type\":\"integer\"",
            "); expected each key once"));
    t.add(
        trigger(
            Rule.FILE_URI_MISSING,
            DEFAULTS,
            part("{'fileData':{'mimeType':'image/png'}}"),
            1,
            "{'mimeType'",
            "request.contents[0].parts[0].fileData",
            "has no fileUri; expected a gs://bucket/object URI"));
    t.add(
        trigger(
            Rule.FILE_URI_INVALID,
            DEFAULTS,
            part("{'fileData':{'fileUri':'https://example.com/a.png','mimeType':'image/png'}}"),
            1,
            "'https",
            "request.contents[0].parts[0].fileData.fileUri",
            "expected a Cloud Storage URI gs://bucket/object"));
    t.add(
        trigger(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withAllowedFileBuckets(Set.of("media-in")),
            part("{'file_data':{'file_uri':'gs://other-bucket/a.png','mime_type':'image/png'}}"),
            1,
            "'gs://",
            "request.contents[0].parts[0].file_data.file_uri",
            "expected one of the allowed buckets media-in"));
    t.add(
        trigger(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withDeniedFileBuckets(
                Map.of("batchdrop-work", "work bucket (every run's staged input and output)")),
            part(
                "{'fileData':{'fileUri':'gs://batchdrop-work/runs/0123456789abcdef0123/input/s1.jsonl',"
                    + "'mimeType':'application/jsonl'}}"),
            1,
            "'gs://",
            "request.contents[0].parts[0].fileData.fileUri",
            "Batchdrop's own work bucket"));
    // A function response carries media of its own (FunctionResponse.parts[].fileData), which
    // Vertex reads with the same service agent as any other fileData.
    t.add(
        trigger(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withAllowedFileBuckets(Set.of("media-in")),
            part(
                "{'functionResponse':{'name':'lookup','response':{'ok':true},'parts':[{'fileData':"
                    + "{'fileUri':'gs://other-bucket/a.png','mimeType':'image/png'}}]}}"),
            1,
            "'gs://",
            "request.contents[0].parts[0].functionResponse.parts[0].fileData.fileUri",
            "expected one of the allowed buckets media-in"));
    t.add(
        trigger(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withDeniedFileBuckets(
                Map.of("batchdrop-work", "work bucket (every run's staged input and output)")),
            part(
                "{'function_response':{'name':'lookup','response':{'ok':true},'parts':[{'file_data':"
                    + "{'file_uri':'gs://batchdrop-work/runs/0123456789abcdef0123/input/s1.jsonl',"
                    + "'mime_type':'application/jsonl'}}]}}"),
            1,
            "'gs://",
            "request.contents[0].parts[0].function_response.parts[0].file_data.file_uri",
            "Batchdrop's own work bucket"));
    t.add(
        trigger(
            Rule.FILE_URI_INVALID,
            DEFAULTS,
            part(
                "{'functionResponse':{'name':'lookup','response':{'ok':true},'parts':[{'fileData':"
                    + "{'fileUri':'https://storage.googleapis.com/other-bucket/a.png',"
                    + "'mimeType':'image/png'}}]}}"),
            1,
            "'https",
            "request.contents[0].parts[0].functionResponse.parts[0].fileData.fileUri",
            "expected a Cloud Storage URI gs://bucket/object"));
    t.add(
        trigger(
            Rule.FILE_URI_INVALID,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            part(
                "{'fileData':{'fileUri':'"
                    + FileDataRules.FILES_API_PREFIX
                    + "batch-7ab2kq9x','mimeType':'application/jsonl'}}"),
            1,
            "'https",
            "request.contents[0].parts[0].fileData.fileUri",
            "a batch's responses file"));
    t.add(
        trigger(
            Rule.FIELD_DROPPED_ON_BACKEND,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            json("{'request':{" + CONTENTS + ",'labels':{'team':'ml'}}}"),
            1,
            "'team'",
            "request.labels.team",
            "the Gemini API has no labels"));
    t.add(
        trigger(
            Rule.FIELD_DROPPED_ON_BACKEND,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            part("{'inlineData':{'mimeType':'image/png','data':'aGk=','displayName':'a.png'}}"),
            1,
            "'displayName'",
            "request.contents[0].parts[0].inlineData.displayName",
            "the Gemini API has no displayName here"));
    t.add(
        trigger(
            Rule.MIME_TYPE_MISSING,
            DEFAULTS,
            part("{'fileData':{'fileUri':'gs://media-in/a.png'}}"),
            1,
            "{'fileUri'",
            "request.contents[0].parts[0].fileData",
            "has no mimeType; expected a MIME type"));
    t.add(
        trigger(
            Rule.INLINE_DATA_MISSING,
            DEFAULTS,
            part("{'inlineData':{'mimeType':'image/png'}}"),
            1,
            "{'mimeType'",
            "request.contents[0].parts[0].inlineData",
            "expected the bytes as a base64 string"));
    t.add(
        trigger(
            Rule.CACHED_CONTENT,
            DEFAULTS,
            requestWith("'cachedContent':'projects/p/locations/l/cachedContents/c'"),
            1,
            "'projects",
            "request.cachedContent",
            "expected no cached content"));
    t.add(
        trigger(
            Rule.FIELD_TYPE,
            DEFAULTS,
            generationConfig("'temperature':'0.5'"),
            1,
            "'0.5'",
            "request.generationConfig.temperature",
            "is a string; expected a number between 0 and 2"));
    t.add(
        trigger(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig("'temperature':2.5"),
            1,
            "2.5",
            "request.generationConfig.temperature",
            "request.generationConfig.temperature is 2.5; expected a number between 0 and 2"));
    // Numbers too large for a double read as infinity, which open-ended ranges would let through.
    t.add(
        trigger(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig("'topK':1e999"),
            1,
            "1e999",
            "request.generationConfig.topK",
            "1e999, beyond the range of a finite number (it reads as infinity); "
                + "expected a finite number of at least 0"));
    t.add(
        trigger(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig("'seed':-1e999"),
            1,
            "-1e999",
            "request.generationConfig.seed",
            "expected a finite number such as 42"));
    t.add(
        trigger(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig("'maxOutputTokens':1E+999"),
            1,
            "1E+999",
            "request.generationConfig.maxOutputTokens",
            "expected a finite integer from 1 to 2147483647"));
    t.add(
        trigger(
            Rule.FIELD_TYPE,
            DEFAULTS,
            generationConfig("'seed':'42'"),
            1,
            "'42'",
            "request.generationConfig.seed",
            "is a string; expected a number such as 42"));
    t.add(
        trigger(
            Rule.RESPONSE_MIME_TYPE_INVALID,
            DEFAULTS,
            generationConfig("'responseMimeType':'application/xml'"),
            1,
            "'application/xml'",
            "request.generationConfig.responseMimeType",
            "expected \"text/plain\", \"application/json\" or \"text/x.enum\""));
    t.add(
        trigger(
            Rule.RESPONSE_SCHEMA_MIME_TYPE,
            DEFAULTS,
            generationConfig("'responseSchema':{'type':'STRING'}"),
            1,
            "{'responseSchema'",
            "request.generationConfig",
            "expected responseMimeType \"application/json\""));
    t.add(
        trigger(
            Rule.MODEL_IN_REQUEST,
            DEFAULTS,
            requestWith("'model':'gemini-2.5-flash'"),
            1,
            "'model'",
            "request.model",
            "expected no model inside the request"));
    t.add(
        trigger(
            Rule.LABEL_INVALID,
            DEFAULTS,
            requestWith("'labels':{'team':'Search'}"),
            1,
            "'Search'",
            "request.labels.team",
            "expected at most 63 lowercase letters, digits, _ or -"));
    t.add(
        trigger(
            Rule.LABEL_INVALID,
            DEFAULTS,
            requestWith("'labels':{'Team':'search'}"),
            1,
            "'Team'",
            "request.labels.Team",
            "is not allowed; expected a lowercase letter"));
    t.add(
        trigger(
            Rule.LABEL_OVERWRITTEN,
            DEFAULTS,
            requestWith("'labels':{'batchdrop_row':'mine'}"),
            1,
            "'batchdrop_row'",
            "request.labels.batchdrop_row",
            "Batchdrop sets it to the row number"));
    t.add(
        trigger(
            Rule.UNKNOWN_FIELD,
            DEFAULTS,
            requestWith("'generation_confg':{'temperature':1}"),
            1,
            "'generation_confg'",
            "request.generation_confg",
            "expected contents, systemInstruction, generationConfig"));
    // Columns count bytes: the accents and the emoji before the name take 2, 2 and 4 each.
    t.add(
        trigger(
            Rule.UNKNOWN_FIELD,
            DEFAULTS,
            part("{'text':'crème brûlée ☕','txet':'x'}"),
            1,
            "'txet'",
            "request.contents[0].parts[0].txet",
            "is not a field of a part; expected one of text"));
    t.add(
        trigger(
            Rule.UNKNOWN_FIELD,
            DEFAULTS,
            request("'contents':[{'role':'user','parts':[{'text':'é'}]}],'content':{'parts':[]}"),
            1,
            "'content'",
            "request.content",
            "is not a field of a Gemini request"));

    // Importer rules.
    t.add(
        trigger(
            Rule.EMPTY_OBJECT,
            DEFAULTS,
            requestWith("'tools':[{'googleSearch':{}}]"),
            1,
            "{}",
            "request.tools[0].googleSearch",
            "remove it or give it a member"));
    t.add(
        trigger(
            Rule.DOLLAR_KEY,
            DEFAULTS,
            generationConfig(
                "'responseMimeType':'application/json','responseJsonSchema':{'$schema':'x','type':'string'}"),
            1,
            "'$schema'",
            "request.generationConfig.responseJsonSchema.$schema",
            "rename or inline it"));
    t.add(
        trigger(
            Rule.KEY_WITH_SPACE,
            DEFAULTS,
            part("{'functionCall':{'name':'f','args':{'first name':'Ada'}}}"),
            1,
            "'first name'",
            "request.contents[0].parts[0].functionCall.args[\"first name\"]",
            "use letters, digits and _"));
    t.add(
        trigger(
            Rule.SCHEMA_KEY_INVALID,
            DEFAULTS,
            generationConfig(
                "'responseMimeType':'application/json','responseSchema':{'type':'OBJECT','properties':{'first-name':{'type':'STRING'}}}"),
            1,
            "'first-name'",
            "request.generationConfig.responseSchema.properties[\"first-name\"]",
            "expected a name the Vertex importer accepts"));
    t.add(
        trigger(
            Rule.NESTING_TOO_DEEP,
            DEFAULTS,
            requestWith("'toolConfig':" + nested(16)),
            1,
            deepestMarker(16),
            "request.toolConfig" + ".a".repeat(15),
            "accepts at most 15"));
    String typed =
        request(CONTENTS + ",'meta':{'n':1}") + "\n" + request(CONTENTS + ",'meta':{'n':'1'}");
    t.add(
        trigger(
            Rule.TYPE_MISMATCH,
            DEFAULTS,
            typed,
            2,
            "'1'}",
            "request.meta.n",
            "request.meta.n is a string, but request.meta.n is a number on line 1; expected a number"));
    // The root and the 8 paths request ... meta take 9 places, so k0 .. k(capacity - 10) fit.
    String firstUntracked = "k" + (RequestValidator.KEY_PATH_CAPACITY - 9);
    t.add(
        trigger(
            Rule.KEY_PATH_TRACKING_STOPPED,
            DEFAULTS,
            requestWith("'meta':" + manyKeys(RequestValidator.KEY_PATH_CAPACITY)),
            1,
            "'" + firstUntracked + "'",
            "request.meta." + firstUntracked,
            "are not checked for one JSON type"));
    t.add(
        trigger(
            Rule.FIELD_NOT_ON_BACKEND,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            requestWith("'modelArmorConfig':{'promptTemplateName':'t'}"),
            1,
            "'modelArmorConfig'",
            "request.modelArmorConfig",
            "expected no modelArmorConfig on the Gemini API"));
    t.add(
        trigger(
            Rule.FIELD_NOT_ON_BACKEND,
            DEFAULTS,
            requestWith("'tools':[{'fileSearch':{'fileSearchStoreNames':['fileSearchStores/s']}}]"),
            1,
            "'fileSearch'",
            "request.tools[0].fileSearch",
            "expected no fileSearch on Vertex AI"));
    t.add(
        trigger(
            Rule.EMBEDDINGS_NOT_SUPPORTED,
            EMBED.withBackend(Backend.VERTEX),
            request(TO_EMBED),
            0,
            0,
            "",
            "Batchdrop submits embeddings batches only on the Gemini API"));
    t.add(
        trigger(
            Rule.CONTENT_MISSING,
            EMBED,
            request("'taskType':'CLUSTERING'"),
            1,
            "{'taskType'",
            "request",
            "expected one content to embed"));
    t.add(
        trigger(
            Rule.GENERATE_FIELD_IN_EMBEDDING,
            EMBED,
            request(CONTENTS),
            1,
            "'contents'",
            "request.contents",
            "expected an embedding request such as {\"content\""));
    t.add(
        trigger(
            Rule.TASK_TYPE_INVALID,
            EMBED,
            request(TO_EMBED + ",'task_type':'retrieval_document'"),
            1,
            "'retrieval_document'",
            "request.task_type",
            "expected one of RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT"));
    t.add(
        trigger(
            Rule.OUTPUT_DIMENSIONALITY_INVALID,
            EMBED,
            request(TO_EMBED + ",'outputDimensionality':4096"),
            1,
            "4096",
            "request.outputDimensionality",
            "expected a whole number from 1 to 3072"));
    return t.stream();
  }

  static Stream<NearMiss> nearMisses() {
    List<NearMiss> n = new ArrayList<>();
    String exactly100 =
        request(
            CONTENTS + ",'x':'" + "a".repeat(100 - request(CONTENTS + ",'x':''").length()) + "'");
    n.add(miss(Rule.LINE_TOO_LONG, DEFAULTS.withMaxLineBytes(100), exactly100));
    n.add(
        miss(
            Rule.LINE_TOO_LONG,
            DEFAULTS.withMaxLineBytes(stagedLength(SINGLE_OBJECT_PARTS)),
            SINGLE_OBJECT_PARTS));
    n.add(miss(Rule.INVALID_UTF8, DEFAULTS, parts("[{'text':'你好, 世界 😀'}]")));
    n.add(miss(Rule.FILE_NOT_UTF8, DEFAULTS, parts("[{'text':'a\\u0000b \u00FF\u00FE'}]")));
    n.add(miss(Rule.JSON_SYNTAX, DEFAULTS, valid()));
    n.add(miss(Rule.TRAILING_DATA, DEFAULTS, valid() + "   \t"));
    n.add(miss(Rule.LINE_NOT_OBJECT, DEFAULTS, "  " + valid()));
    n.add(miss(Rule.BLANK_LINE, DEFAULTS, valid() + "\n" + valid() + "\n"));
    n.add(miss(Rule.UTF8_BOM, DEFAULTS, parts("[{'text':'\uFEFFhi'}]")));
    n.add(
        miss(
            Rule.CRLF_LINE_ENDINGS,
            DEFAULTS,
            valid() + "\n" + parts("[{'text':'a\\r\\nb'}]") + "\n"));
    n.add(miss(Rule.CR_LINE_ENDINGS, DEFAULTS, valid() + "\r\n" + valid() + " \r \r\n"));
    n.add(miss(Rule.REQUEST_MISSING, DEFAULTS, json("{'key':'a','request':{" + CONTENTS + "}}")));
    n.add(miss(Rule.REQUEST_NOT_OBJECT, DEFAULTS, valid()));
    n.add(miss(Rule.KEY_NOT_STRING, DEFAULTS, withKey("'k42'")));
    n.add(miss(Rule.KEY_EMPTY, DEFAULTS, withKey("null")));
    n.add(miss(Rule.KEY_TOO_LONG, DEFAULTS, withKey("'" + "k".repeat(256) + "'")));
    n.add(miss(Rule.KEY_NUMERIC, DEFAULTS, withKey("'a000123'")));
    n.add(miss(Rule.CONTENTS_MISSING, DEFAULTS, valid()));
    n.add(miss(Rule.CONTENTS_NOT_ARRAY, DEFAULTS, valid()));
    n.add(miss(Rule.CONTENTS_EMPTY, DEFAULTS, request("'contents':[{'parts':[{'text':'hi'}]}]")));
    n.add(miss(Rule.CONTENT_NOT_OBJECT, DEFAULTS, valid()));
    n.add(
        miss(
            Rule.ROLE_INVALID,
            DEFAULTS,
            request(
                "'contents':[{'role':'user','parts':[{'text':'q'}]},{'role':'model','parts':[{'text':'a'}]},{'role':'','parts':[{'text':'q2'}]}]")));
    n.add(miss(Rule.PARTS_MISSING, DEFAULTS, valid()));
    n.add(miss(Rule.PARTS_NOT_ARRAY, DEFAULTS, parts("[{'text':'hi'}]")));
    n.add(miss(Rule.PARTS_OBJECT, DEFAULTS, parts("[{'text':'hi'}]")));
    n.add(miss(Rule.PARTS_EMPTY, DEFAULTS, parts("[{'text':''}]")));
    n.add(miss(Rule.PART_NOT_OBJECT, DEFAULTS, parts("[{'text':'hi'}]")));
    n.add(miss(Rule.PART_NO_DATA, DEFAULTS, part("{'thought':true,'text':'hi'}")));
    n.add(
        miss(
            Rule.PART_MULTIPLE_DATA,
            DEFAULTS,
            part("{'text':'a','fileData':null,'thoughtSignature':'AAAA'}")));
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            request(
                "'contents':[{'role':'user','parts':[{'text':'q'},{'text':'q2'}]},"
                    + "{'role':'model','parts':[{'text':'a'}]}],"
                    + "'generationConfig':{'topP':0.5,'topK':3}")));
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            requestWith(
                "'safetySettings':[{'category':'HARM_CATEGORY_HATE_SPEECH','threshold':'BLOCK_NONE'},"
                    + "{'category':'HARM_CATEGORY_HARASSMENT','threshold':'BLOCK_NONE'}],"
                    + "'tools':[{'functionDeclarations':[{'name':'f'},{'name':'g','parameters':"
                    + "{'type':'OBJECT','properties':{'type':{'type':'STRING'},'name':{'type':'STRING'},"
                    + "'max_items':{'type':'STRING'},'maxItems':{'type':'STRING'}}}}]},"
                    + "{'codeExecution':{'languages':['PYTHON']}}],"
                    + "'labels':{'team':'a','team_b':'a','teamb':'b'}")));
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            generationConfig(
                "'responseMimeType':'application/json','responseJsonSchema':{'type':'object',"
                    + "'properties':{'a':{'type':'integer','minimum':0},'b':{'type':'integer','minimum':0},"
                    + "'minimum':{'type':'number'},'min_items':{'type':'number'},'minItems':{'type':'number'}}}")));
    // Staging drops every batchdrop_row the user gives and writes its own once.
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            requestWith("'labels':{'batchdrop_row':'a','team':'a','batchdrop_row':'b'}")));
    // The Gemini API's copy of a row has no labels at all.
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            requestWith("'labels':{'team':'a','team':'b'}")));
    // A member Schema does not have is skipped by protobuf, whatever is inside it.
    n.add(
        miss(
            Rule.DUPLICATE_FIELD,
            DEFAULTS,
            generationConfig(
                "'responseMimeType':'application/json','responseSchema':{'type':'STRING',"
                    + "'extra':{'a':1,'a':2}}")));
    n.add(
        miss(
            Rule.FILE_URI_MISSING,
            DEFAULTS,
            part("{'fileData':{'file_uri':'gs://media-in/a.png','mimeType':'image/png'}}")));
    n.add(
        miss(
            Rule.FILE_URI_INVALID,
            DEFAULTS,
            part("{'fileData':{'fileUri':'gs://media-in/dir/a b.png','mimeType':'image/png'}}")));
    n.add(
        miss(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withAllowedFileBuckets(Set.of("media-in")),
            part("{'fileData':{'fileUri':'gs://media-in/a.png','mimeType':'image/png'}}")));
    n.add(
        miss(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withAllowedFileBuckets(Set.of("media-in")),
            part(
                "{'functionResponse':{'name':'lookup','response':{'ok':true},'parts':[{'fileData':"
                    + "{'fileUri':'gs://media-in/a.png','mimeType':'image/png'}}]}}")));
    n.add(
        miss(
            Rule.FILE_BUCKET_NOT_ALLOWED,
            DEFAULTS.withDeniedFileBuckets(
                Map.of("batchdrop-work", "work bucket (every run's staged input and output)")),
            part(
                "{'fileData':{'fileUri':'gs://batchdrop-work-media/a.png','mimeType':'image/png'}}")));
    n.add(
        miss(
            Rule.FILE_URI_INVALID,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            part(
                "{'fileData':{'fileUri':'"
                    + FileDataRules.FILES_API_PREFIX
                    + "batchnotes-7ab2kq9x','mimeType':'application/pdf'}}")));
    n.add(
        miss(
            Rule.FIELD_DROPPED_ON_BACKEND,
            DEFAULTS.withBackend(Backend.GEMINI_API),
            part(
                "{'functionResponse':{'name':'lookup','response':{'ok':true},'parts':["
                    + "{'inlineData':{'mimeType':'image/png','data':'aGk=','displayName':'a.png'}},"
                    + "{'fileData':{'fileUri':'"
                    + FileDataRules.FILES_API_PREFIX
                    + "abc123','mimeType':'image/png','displayName':'b.png'}}]}}")));
    n.add(
        miss(
            Rule.FIELD_DROPPED_ON_BACKEND,
            DEFAULTS,
            json(
                "{'request':{'contents':[{'role':'user','parts':[{'fileData':{'fileUri':"
                    + "'gs://media-in/a.png','mimeType':'image/png','displayName':'a.png'}}]}],"
                    + "'labels':{'team':'ml'}}}")));
    n.add(
        miss(
            Rule.MIME_TYPE_MISSING,
            DEFAULTS,
            part("{'fileData':{'fileUri':'gs://media-in/a.png','mime_type':'image/png'}}")));
    n.add(
        miss(
            Rule.INLINE_DATA_MISSING,
            DEFAULTS,
            part("{'inline_data':{'mime_type':'image/png','data':'iVBORw0KGgo='}}")));
    n.add(miss(Rule.CACHED_CONTENT, DEFAULTS, requestWith("'cachedContent':null")));
    n.add(
        miss(
            Rule.FIELD_TYPE,
            DEFAULTS,
            generationConfig("'temperature':0.5,'maxOutputTokens':256.0")));
    n.add(
        miss(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig(
                "'temperature':2,'topP':1,'topK':0,'candidateCount':1,'maxOutputTokens':1,'presencePenalty':-2,'frequency_penalty':1.99")));
    n.add(
        miss(
            Rule.CONFIG_OUT_OF_RANGE,
            DEFAULTS,
            generationConfig("'topK':1e300,'seed':-12345678901234567890,'maxOutputTokens':1e3")));
    n.add(
        miss(
            Rule.RESPONSE_MIME_TYPE_INVALID,
            DEFAULTS,
            generationConfig("'response_mime_type':'text/x.enum'")));
    n.add(
        miss(
            Rule.RESPONSE_SCHEMA_MIME_TYPE,
            DEFAULTS,
            generationConfig(
                "'responseSchema':{'type':'STRING'},'responseMimeType':'application/json'")));
    n.add(
        miss(
            Rule.MODEL_IN_REQUEST,
            DEFAULTS,
            json("{'model':'gemini-2.5-flash','request':{" + CONTENTS + "}}")));
    n.add(
        miss(
            Rule.LABEL_INVALID,
            DEFAULTS,
            requestWith("'labels':{'team':'search','cost-center':'cc_42'}")));
    n.add(miss(Rule.LABEL_OVERWRITTEN, DEFAULTS, requestWith("'labels':{'batchdrop':'mine'}")));
    n.add(miss(Rule.UNKNOWN_FIELD, DEFAULTS, requestWith("'generation_config':{'temperature':1}")));
    n.add(
        miss(
            Rule.FIELD_NOT_ON_BACKEND,
            DEFAULTS,
            requestWith(
                "'modelArmorConfig':{'promptTemplateName':'t'},'tools':[{'googleSearch':{'excludeDomains':['a.example']}}]")));
    n.add(
        miss(
            Rule.EMPTY_OBJECT,
            DEFAULTS,
            requestWith("'tools':[{'googleSearch':{'timeRangeFilter':null}}],'labels':{}")));
    n.add(
        miss(
            Rule.DOLLAR_KEY,
            DEFAULTS,
            generationConfig(
                "'responseMimeType':'application/json','responseJsonSchema':{'schema':'x','type':'string','description':'$5'}")));
    n.add(
        miss(
            Rule.KEY_WITH_SPACE,
            DEFAULTS,
            part("{'functionCall':{'name':'f','args':{'first_name':'Ada Lovelace'}}}")));
    n.add(
        miss(
            Rule.SCHEMA_KEY_INVALID,
            DEFAULTS,
            part("{'functionCall':{'name':'f','args':{'first-name':'Ada'}}}")));
    n.add(miss(Rule.NESTING_TOO_DEEP, DEFAULTS, requestWith("'toolConfig':" + nested(15))));
    n.add(
        miss(
            Rule.TYPE_MISMATCH,
            DEFAULTS,
            request(CONTENTS + ",'meta':{'n':1}")
                + "\n"
                + request(CONTENTS + ",'meta':{'n':null}")
                + "\n"
                + request(CONTENTS + ",'meta':{'n':2.5,'m':[1,2]}")));
    n.add(miss(Rule.KEY_PATH_TRACKING_STOPPED, DEFAULTS, requestWith("'meta':" + manyKeys(100))));
    n.add(miss(Rule.EMBEDDINGS_NOT_SUPPORTED, EMBED, request(TO_EMBED)));
    n.add(miss(Rule.CONTENT_MISSING, EMBED, request("'content':{'parts':{'text':'one part'}}")));
    n.add(
        miss(
            Rule.GENERATE_FIELD_IN_EMBEDDING,
            EMBED,
            request(TO_EMBED + ",'title':'Doc 1','taskType':'RETRIEVAL_DOCUMENT'")));
    n.add(
        miss(
            Rule.TASK_TYPE_INVALID,
            EMBED,
            request(TO_EMBED + ",'task_type':'CODE_RETRIEVAL_QUERY'")));
    n.add(
        miss(
            Rule.OUTPUT_DIMENSIONALITY_INVALID,
            EMBED,
            request(TO_EMBED + ",'output_dimensionality':3072")
                + "\n"
                + request(TO_EMBED + ",'outputDimensionality':1e0")));
    return n.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("triggers")
  void eachRuleIsReportedWhereItHappensAndSaysWhatWasExpected(Trigger t) {
    Validated v = Validated.of(t.config(), t.file());

    List<Finding> found = v.findings(t.rule().code());
    assertThat(found).as("findings %s in %s", t.rule().code(), v.report().findings()).isNotEmpty();
    Finding f = found.get(0);
    assertThat(f.line()).isEqualTo(t.line());
    assertThat(f.column()).isEqualTo(t.column());
    assertThat(f.path()).isEqualTo(t.path());
    assertThat(f.severity()).isEqualTo(t.rule().severity());
    assertThat(f.message()).contains(t.expected());
    if (t.rule() == Rule.FILE_NOT_UTF8 || t.rule() == Rule.EMBEDDINGS_NOT_SUPPORTED) {
      assertThat(v.report().rejection()).isEqualTo(f);
      assertThat(ValidationPolicy.defaults().judge(v.report()).accepted()).isFalse();
    } else if (t.rule().severity() == Severity.ERROR) {
      assertThat(v.row(t.line()).valid()).isFalse();
      assertThat(v.row(t.line()).findings()).contains(f);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nearMisses")
  void nearMissesAreNotReportedAndStayValid(NearMiss n) {
    Validated v = Validated.of(n.config(), n.file());

    assertThat(v.codes()).doesNotContain(n.rule().code());
    assertThat(v.report().invalid()).as("findings %s", v.report().findings()).isZero();
    assertThat(v.report().rows()).isPositive();
  }

  @Test
  void everyRuleHasATriggerAndANearMiss() {
    Set<Rule> triggered =
        triggers()
            .map(Trigger::rule)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    Set<Rule> missed =
        nearMisses()
            .map(NearMiss::rule)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
    assertThat(triggered).containsExactlyInAnyOrder(Rule.values());
    assertThat(missed).containsExactlyInAnyOrder(Rule.values());
  }

  @Test
  void codesAreStableKebabCaseAndUnique() {
    assertThat(Arrays.stream(Rule.values()).map(Rule::code))
        .allMatch(c -> c.matches("[a-z0-9]+(-[a-z0-9]+)*"))
        .doesNotHaveDuplicates();
    assertThat(Arrays.stream(Rule.values()).map(Rule::description)).allMatch(d -> !d.isBlank());
  }

  // ---- builders
  // ----------------------------------------------------------------------------------

  /**
   * Two turns and a (generation request's unknown) {@code content} whose {@code parts} are single
   * objects: staged, the line is 6 bytes longer.
   */
  private static final String SINGLE_OBJECT_PARTS =
      json(
          "{'request':{'contents':[{'role':'user','parts':{'text':'q'}},"
              + "{'role':'model','parts':{'text':'a'}},{'role':'user','parts':[{'text':'q2'}]}],"
              + "'content':{'parts':{'text':'c'}}}}");

  private static int stagedLength(String line) {
    return line.getBytes(StandardCharsets.UTF_8).length + 6;
  }

  private static Trigger trigger(
      Rule rule,
      ValidatorConfig config,
      String file,
      long line,
      int column,
      String path,
      String expected) {
    return new Trigger(
        rule, config, file.getBytes(StandardCharsets.UTF_8), line, column, path, expected);
  }

  /**
   * Column = where {@code marker} (single quotes for double) first occurs in the given line,
   * 1-based in bytes.
   */
  private static Trigger trigger(
      Rule rule,
      ValidatorConfig config,
      String file,
      long line,
      String marker,
      String path,
      String expected) {
    String text = file.split("\n", -1)[(int) line - 1];
    String m = json(marker);
    int at = text.indexOf(m);
    assertThat(at).as("marker %s in %s", m, text).isNotNegative();
    int column = text.substring(0, at).getBytes(StandardCharsets.UTF_8).length + 1;
    return trigger(rule, config, file, line, column, path, expected);
  }

  /**
   * A {@code duplicate-field} trigger: {@code line} repeats {@code name} in the object opening at
   * {@code objectStart} (its first occurrence), reported at the second name.
   */
  private static Trigger repeated(
      String line, String name, String path, String objectStart, String expectedEnd) {
    String quoted = "\"" + name + "\"";
    return trigger(
        Rule.DUPLICATE_FIELD,
        DEFAULTS,
        line,
        1,
        line.lastIndexOf(quoted) + 1,
        path,
        path
            + " is given twice in one object (the object opening at column "
            + (line.indexOf(objectStart) + 1)
            + " has it earlier"
            + expectedEnd);
  }

  private static NearMiss miss(Rule rule, ValidatorConfig config, String file) {
    return new NearMiss(rule, config, file.getBytes(StandardCharsets.UTF_8));
  }

  private static String withKey(String keyJson) {
    return json("{'key':" + keyJson + ",'request':{" + CONTENTS + "}}");
  }

  /** {@code levels} nested objects: {"a":{"a":...{"b":1}...}}. */
  private static String nested(int levels) {
    return "{'a':".repeat(levels - 1) + "{'b':1}" + "}".repeat(levels - 1);
  }

  /** Where the innermost object of {@link #nested} starts. */
  private static String deepestMarker(int levels) {
    return "{'b'";
  }

  private static String manyKeys(int n) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ",").append("'k").append(i).append("':").append(i);
    }
    return sb.append('}').toString();
  }

  private static byte[] notUtf8Line() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head =
        json("{'request':{'contents':[{'parts':[{'text':'caf").getBytes(StandardCharsets.UTF_8);
    byte[] tail = json("'}]}]}}").getBytes(StandardCharsets.UTF_8);
    out.writeBytes(head);
    out.write(0xC3);
    out.write(0x28);
    out.writeBytes(tail);
    return out.toByteArray();
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }
}
