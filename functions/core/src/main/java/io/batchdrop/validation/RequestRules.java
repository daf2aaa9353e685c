package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The rules of one batch line: the top-level {@code key} and {@code request}, and inside it the
 * GenerateContentRequest members (contents, parts, system instruction, labels, tools). A JSON null
 * counts as absent, as in the protobuf JSON mapping. Both camelCase and snake_case names are
 * accepted.
 */
final class RequestRules {

  static final int MAX_KEY_CHARS = 256;

  private static final String REQUEST_FIELDS =
      "contents, systemInstruction, generationConfig, tools, toolConfig, safetySettings or"
          + " labels (or snake_case)";
  private static final String PART_DATA_MEMBERS =
      "text, inlineData, fileData, functionCall, functionResponse, executableCode, codeExecutionResult";

  // A bit per known field of each object, for LineCursor.knownField.
  private static final long LINE_KEY = 1;
  private static final long LINE_REQUEST = 1 << 1;

  private static final long CONTENTS = 1;
  private static final long SYSTEM_INSTRUCTION = 1 << 1;
  private static final long GENERATION_CONFIG = 1 << 2;
  private static final long LABELS = 1 << 3;
  private static final long TOOLS = 1 << 4;
  private static final long CACHED_CONTENT = 1 << 5;
  private static final long MODEL = 1 << 6;
  private static final long SAFETY_SETTINGS = 1 << 7;
  private static final long MODEL_ARMOR_CONFIG = 1 << 8;
  private static final long TOOL_CONFIG = 1 << 9;

  private static final long ROLE = 1;
  private static final long PARTS = 1 << 1;

  private static final long TEXT = 1;
  private static final long FILE_DATA = 1 << 1;
  private static final long INLINE_DATA = 1 << 2;
  private static final long FUNCTION_RESPONSE = 1 << 3;
  private static final long FUNCTION_CALL = 1 << 4;
  private static final long EXECUTABLE_CODE = 1 << 5;
  private static final long CODE_EXECUTION_RESULT = 1 << 6;
  private static final long THOUGHT = 1 << 7;
  private static final long THOUGHT_SIGNATURE = 1 << 8;
  private static final long VIDEO_METADATA = 1 << 9;
  private static final long MEDIA_RESOLUTION = 1 << 10;
  private static final long PART_METADATA = 1 << 11;

  private static final long FUNCTION_DECLARATIONS = 1;
  private static final long RETRIEVAL = 1 << 1;
  private static final long GOOGLE_SEARCH = 1 << 2;
  private static final long GOOGLE_SEARCH_RETRIEVAL = 1 << 3;
  private static final long GOOGLE_MAPS = 1 << 4;
  private static final long ENTERPRISE_WEB_SEARCH = 1 << 5;
  private static final long PARALLEL_AI_SEARCH = 1 << 6;
  private static final long EXA_AI_SEARCH = 1 << 7;
  private static final long CODE_EXECUTION = 1 << 8;
  private static final long URL_CONTEXT = 1 << 9;
  private static final long COMPUTER_USE = 1 << 10;
  private static final long FILE_SEARCH = 1 << 11;

  private static final long NAME = 1;
  private static final long DESCRIPTION = 1 << 1;
  private static final long PARAMETERS = 1 << 2;
  private static final long PARAMETERS_JSON_SCHEMA = 1 << 3;
  private static final long RESPONSE = 1 << 4;
  private static final long RESPONSE_JSON_SCHEMA = 1 << 5;
  private static final long BEHAVIOR = 1 << 6;

  private static final long CATEGORY = 1;
  private static final long THRESHOLD = 1 << 1;
  private static final long METHOD = 1 << 2;

  private final LineCursor c;
  private final FileDataRules fileData;
  private final GenerationConfigRules generationConfig;
  private final LabelRules labels;
  private final Backend backend;
  private final EmbedRequestRules embedRequest;
  private final SchemaRules schemas;
  private final boolean embeddings;
  private final LayoutRecorder layout;
  private final CountRecorder counts;
  private String userKey;

  RequestRules(LineCursor cursor, ValidatorConfig config) {
    this.c = cursor;
    this.layout = new LayoutRecorder(cursor);
    this.counts = new CountRecorder(cursor, !config.embeddings());
    this.backend = config.backend();
    this.fileData =
        new FileDataRules(cursor, config.allowedFileBuckets(), config.deniedFileBuckets(), backend);
    this.schemas = new SchemaRules(cursor);
    this.generationConfig = new GenerationConfigRules(cursor, backend, counts, schemas);
    this.labels = new LabelRules(cursor, layout, backend);
    this.embeddings = config.embeddings();
    this.embedRequest = new EmbedRequestRules(cursor, () -> content(false), layout);
  }

  /** The line's own non-empty string {@code key}, or null. */
  String userKey() {
    return userKey;
  }

  /**
   * Before a line is parsed: one that fails at its first token never reaches {@link #line}, and
   * must not go by the key of the line before it.
   */
  void lineStarting() {
    userKey = null;
  }

  /** Where staging may splice the line just checked; null when it must parse it again. */
  LineLayout layout() {
    return layout.layout();
  }

  /** What the estimate needs of the line just checked; null when it must parse it itself. */
  RequestCounts counts() {
    return counts.counts();
  }

  /** The bytes of the line about to be checked, for counting its text. */
  void lineBytes(byte[] buf, int off, int len) {
    counts.line(buf, off, len);
  }

  /** Checks a whole line; the cursor stands on its first token. */
  void line() throws IOException {
    userKey = null;
    layout.lineOpened();
    counts.reset();
    JsonToken t = c.token();
    if (t != START_OBJECT) {
      c.report(
          Rule.LINE_NOT_OBJECT,
          "the line is "
              + JsonType.describe(t)
              + "; expected a JSON object such as {\"request\": {\"contents\": [...]}}");
      c.parser().skipChildren();
      return;
    }
    int column = c.column();
    c.beginObject(true);
    boolean sawRequest = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      layout.topLevel(name);
      switch (name) {
        case "request" -> {
          seen = c.knownField(seen, LINE_REQUEST);
          sawRequest = true;
          request();
        }
        case "key" -> {
          seen = c.knownField(seen, LINE_KEY);
          key();
          layout.keyValue(userKey != null);
        }
        default -> {
          c.skipValue();
        }
      }
      c.endMember();
    }
    layout.topLevel(null);
    if (!sawRequest) {
      c.report(
          Rule.REQUEST_MISSING,
          column,
          "the line has no \"request\"; expected an object such as {\"request\": {\"contents\": [...]}}");
    }
  }

  private void key() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != VALUE_STRING) {
      c.reportWrongType(
          Rule.KEY_NOT_STRING,
          "key is "
              + JsonType.describe(t)
              + "; expected a non-empty string of at most "
              + MAX_KEY_CHARS
              + " characters, e.g. \"doc-42\"");
      return;
    }
    String key = c.text();
    if (key.isEmpty()) {
      c.report(
          Rule.KEY_EMPTY,
          "key is an empty string; expected a non-empty string of at most "
              + MAX_KEY_CHARS
              + " characters, or no key (then the row number is used)");
      return;
    }
    if (key.length() > MAX_KEY_CHARS) {
      // Not kept: the row goes by row-N, like a row with any other unusable key. A key of
      // megabytes would not fit the row's invalid message, nor anything else that names the row.
      c.report(
          Rule.KEY_TOO_LONG,
          "key is " + key.length() + " characters long; expected at most " + MAX_KEY_CHARS);
      return;
    }
    userKey = key;
    if (looksNumeric(key)) {
      c.report(
          Rule.KEY_NUMERIC,
          "key "
              + JsonPaths.quote(key)
              + " looks like a number, and Vertex may return it "
              + "as a number (\"007\" comes back as 7); expected a key with a letter in it, e.g. "
              + JsonPaths.quote("id-" + key));
    }
  }

  /** Matches a JSON number: -?digits(.digits)?([eE][+-]?digits)? */
  static boolean looksNumeric(String s) {
    int i = 0;
    int n = s.length();
    if (i < n && s.charAt(i) == '-') {
      i++;
    }
    int digits = i;
    while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
      i++;
    }
    if (i == digits) {
      return false;
    }
    if (i < n && s.charAt(i) == '.') {
      int frac = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == frac) {
        return false;
      }
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      int exp = i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == exp) {
        return false;
      }
    }
    return i == n;
  }

  private void request() throws IOException {
    JsonToken t = c.value();
    if (t != START_OBJECT) {
      c.reportWrongType(
          Rule.REQUEST_NOT_OBJECT,
          "request is "
              + JsonType.describe(t)
              + "; expected an object such as {\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"...\"}]}]}");
      return;
    }
    layout.requestOpened();
    if (embeddings) {
      embedRequest.request();
      return;
    }
    int column = c.column();
    // Empty, it lacks a member it must have, and that finding says which: empty-object would
    // repeat it.
    c.beginObject(true);
    boolean sawContents = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      layout.requestMember();
      switch (name) {
        case "contents" -> {
          seen = c.knownField(seen, CONTENTS);
          sawContents = true;
          contents();
        }
        case "systemInstruction", "system_instruction" -> {
          seen = c.knownField(seen, SYSTEM_INSTRUCTION);
          systemInstruction();
        }
        case "generationConfig", "generation_config" -> {
          seen = c.knownField(seen, GENERATION_CONFIG);
          generationConfig.check();
        }
        case "labels" -> {
          seen = c.knownField(seen, LABELS);
          labels.check();
        }
        case "tools" -> {
          seen = c.knownField(seen, TOOLS);
          tools();
        }
        case "cachedContent", "cached_content" -> {
          seen = c.knownField(seen, CACHED_CONTENT);
          if (c.value() != VALUE_NULL) {
            c.report(
                Rule.CACHED_CONTENT,
                c.path()
                    + " is set; expected no cached content: explicit context "
                    + "caching is not supported in batch prediction");
            c.walk(false);
          }
        }
        case "model" -> {
          seen = c.knownField(seen, MODEL);
          modelInRequest(c);
        }
        case "safetySettings", "safety_settings" -> {
          seen = c.knownField(seen, SAFETY_SETTINGS);
          safetySettings();
        }
        case "modelArmorConfig", "model_armor_config" -> {
          seen = c.knownField(seen, MODEL_ARMOR_CONFIG);
          BackendFields.check(c, backend, BackendFields.Place.REQUEST, name);
          c.skipValue();
        }
        case "toolConfig", "tool_config" -> {
          seen = c.knownField(seen, TOOL_CONFIG);
          c.skipValue();
        }
        default -> {
          if (name.equals("content")) {
            layout.unusual();
            c.report(
                Rule.UNKNOWN_FIELD,
                c.path() + " is not a field of a Gemini request; expected " + REQUEST_FIELDS);
            c.value();
            unknownContent();
          } else {
            c.unknownField("a Gemini request", REQUEST_FIELDS);
          }
        }
      }
      c.endMember();
    }
    if (!sawContents) {
      c.report(
          Rule.CONTENTS_MISSING,
          column,
          "request has no \"contents\"; expected a non-empty array such as "
              + "[{\"role\": \"user\", \"parts\": [{\"text\": \"...\"}]}]");
    }
  }

  /**
   * A generation request's {@code content} (an embedding request's field): staging wraps a
   * single-object {@code parts} in it as it does in {@code contents}, so each is reported, and
   * counted into the staged line's length; the rest is checked with the line-wide rules only.
   */
  private void unknownContent() throws IOException {
    if (c.token() != START_OBJECT) {
      c.walk(false);
      return;
    }
    c.beginObject(false);
    for (String member; (member = c.nextName(false)) != null; ) {
      if (c.value() == START_OBJECT && member.equals("parts")) {
        singleObjectParts();
      }
      c.walk(false);
      c.endMember();
    }
  }

  /**
   * A {@code parts} that is one object: staging wraps it, and the line's staged length counts it.
   */
  private void singleObjectParts() {
    c.report(
        Rule.PARTS_OBJECT,
        c.path()
            + " is a single object; expected an array of parts: it is staged as [that object]");
  }

  private void contents() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      c.report(
          Rule.CONTENTS_MISSING, c.path() + " is null; expected a non-empty array of contents");
      return;
    }
    if (t != START_ARRAY) {
      c.reportWrongType(
          Rule.CONTENTS_NOT_ARRAY,
          c.path()
              + " is "
              + JsonType.describe(t)
              + "; expected an array such as [{\"role\": \"user\", \"parts\": [{\"text\": \"...\"}]}]");
      return;
    }
    int column = c.column();
    int n = 0;
    for (; c.nextElement(n); n++) {
      content(false);
      c.endElement();
    }
    if (n == 0) {
      c.report(
          Rule.CONTENTS_EMPTY,
          column,
          c.path() + " is an empty array; expected at least one content");
    }
  }

  private void systemInstruction() throws IOException {
    if (c.objectValue("an object such as {\"parts\": [{\"text\": \"...\"}]}")
        != LineCursor.ObjectValue.OBJECT) {
      return;
    }
    content(true);
  }

  /** A Content at the current token; in a system instruction the role is not checked. */
  private void content(boolean systemInstruction) throws IOException {
    JsonToken t = c.token();
    if (t != START_OBJECT) {
      c.reportWrongType(
          Rule.CONTENT_NOT_OBJECT,
          c.path()
              + " is "
              + JsonType.describe(t)
              + "; expected an object such as {\"role\": \"user\", \"parts\": [{\"text\": \"...\"}]}");
      return;
    }
    int column = c.column();
    // Empty, it lacks a member it must have, and that finding says which: empty-object would
    // repeat it.
    c.beginObject(true);
    boolean sawParts = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "role" -> {
          seen = c.knownField(seen, ROLE);
          role(systemInstruction);
        }
        case "parts" -> {
          seen = c.knownField(seen, PARTS);
          sawParts = true;
          parts();
        }
        default -> {
          c.unknownField("a content", "role or parts");
        }
      }
      c.endMember();
    }
    if (!sawParts) {
      c.report(
          Rule.PARTS_MISSING,
          column,
          c.path()
              + " has no \"parts\"; expected a non-empty array of parts "
              + "such as [{\"text\": \"...\"}]");
    }
  }

  private void role(boolean systemInstruction) throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != VALUE_STRING) {
      c.reportWrongType(
          Rule.ROLE_INVALID,
          c.path() + " is " + JsonType.describe(t) + "; expected \"user\" or \"model\"");
      return;
    }
    if (systemInstruction || c.textEquals("user") || c.textEquals("model") || c.textEquals("")) {
      return;
    }
    c.report(
        Rule.ROLE_INVALID,
        c.path() + " is " + JsonPaths.quote(c.text()) + "; expected \"user\" or \"model\"");
  }

  private void parts() throws IOException {
    JsonToken t = c.valueUnrecorded();
    if (t == VALUE_NULL) {
      c.report(
          Rule.PARTS_MISSING,
          c.path() + " is null; expected a non-empty array of parts such as [{\"text\": \"...\"}]");
      return;
    }
    if (t == START_ARRAY) {
      c.recordAs(JsonType.ARRAY);
      int column = c.column();
      int n = 0;
      for (; c.nextElement(n); n++) {
        part();
        c.endElement();
      }
      if (n == 0) {
        c.report(
            Rule.PARTS_EMPTY,
            column,
            c.path()
                + " is an empty array; expected at least one part such as "
                + "{\"text\": \"...\"}");
      }
      return;
    }
    if (t == START_OBJECT) {
      // Staging writes it as a one-element array, so it is typed as one.
      layout.unusual();
      c.recordAs(JsonType.ARRAY);
      singleObjectParts();
      c.enterHiddenElement();
      part();
      c.exitHiddenElement();
      return;
    }
    c.recordAs(JsonType.of(t));
    c.reportWrongType(
        Rule.PARTS_NOT_ARRAY,
        c.path()
            + " is "
            + JsonType.describe(t)
            + "; expected an array of parts such as [{\"text\": \"...\"}]");
  }

  private void part() throws IOException {
    JsonToken t = c.token();
    if (t != START_OBJECT) {
      c.reportWrongType(
          Rule.PART_NOT_OBJECT,
          c.path()
              + " is "
              + JsonType.describe(t)
              + "; expected an object with exactly one of "
              + PART_DATA_MEMBERS);
      return;
    }
    int column = c.column();
    // Empty, it lacks a member it must have, and that finding says which: empty-object would
    // repeat it.
    c.beginObject(true);
    int data = 0;
    String first = null;
    String second = null;
    long seen = 0;
    // The data members counted: one given twice is duplicate-field's, not two data members.
    long counted = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      long bit;
      boolean present =
          switch (name) {
            case "text" -> {
              seen = c.knownField(seen, bit = TEXT);
              yield text();
            }
            case "fileData", "file_data" -> {
              seen = c.knownField(seen, bit = FILE_DATA);
              counts.media();
              yield fileData.fileData();
            }
            case "inlineData", "inline_data" -> {
              seen = c.knownField(seen, bit = INLINE_DATA);
              counts.media();
              yield fileData.inlineData();
            }
            case "functionResponse", "function_response" -> {
              seen = c.knownField(seen, bit = FUNCTION_RESPONSE);
              yield functionResponse();
            }
            case "functionCall", "function_call" -> {
              seen = c.knownField(seen, bit = FUNCTION_CALL);
              yield objectMember();
            }
            case "executableCode", "executable_code" -> {
              seen = c.knownField(seen, bit = EXECUTABLE_CODE);
              yield objectMember();
            }
            case "codeExecutionResult", "code_execution_result" -> {
              seen = c.knownField(seen, bit = CODE_EXECUTION_RESULT);
              yield objectMember();
            }
            case "thought" -> {
              seen = c.knownField(seen, bit = THOUGHT);
              yield notData(name);
            }
            case "thoughtSignature", "thought_signature" -> {
              seen = c.knownField(seen, bit = THOUGHT_SIGNATURE);
              yield notData(name);
            }
            case "videoMetadata", "video_metadata" -> {
              seen = c.knownField(seen, bit = VIDEO_METADATA);
              yield notData(name);
            }
            case "mediaResolution", "media_resolution" -> {
              seen = c.knownField(seen, bit = MEDIA_RESOLUTION);
              yield notData(name);
            }
            case "partMetadata", "part_metadata" -> {
              seen = c.knownField(seen, bit = PART_METADATA);
              yield notData(name);
            }
            default -> {
              bit = 0;
              c.unknownField(
                  "a part",
                  "one of "
                      + PART_DATA_MEMBERS
                      + " (plus thought, thoughtSignature, videoMetadata, mediaResolution)");
              yield false;
            }
          };
      if (present && (counted & bit) == 0) {
        counted |= bit;
        data++;
        if (first == null) {
          first = name;
        } else if (second == null) {
          second = name;
        }
      }
      c.endMember();
    }
    if (data == 0) {
      c.report(
          Rule.PART_NO_DATA,
          column,
          c.path() + " has no data; expected exactly one of " + PART_DATA_MEMBERS);
    } else if (data > 1) {
      c.report(
          Rule.PART_MULTIPLE_DATA,
          column,
          c.path()
              + " has both "
              + first
              + " and "
              + second
              + "; expected exactly one data member per part: put each in a part of its own");
    }
  }

  /** A part's member beside its data (thought, videoMetadata, ...): false, it is not data. */
  private boolean notData(String name) throws IOException {
    BackendFields.check(c, backend, BackendFields.Place.PART, name);
    c.skipValue();
    return false;
  }

  private boolean text() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != VALUE_STRING) {
      c.wrongType(t, "a string");
    } else {
      counts.text();
    }
    return true;
  }

  /**
   * A functionResponse: its {@code parts} may carry media ({@code FunctionResponsePart} fileData
   * and inlineData), which the backend reads like a part's own, so their URIs meet the same rules
   * (the allow-list, never Batchdrop's own buckets); the rest only the line-wide rules check.
   */
  private boolean functionResponse() throws IOException {
    JsonToken t = c.value();
    if (t != START_OBJECT) {
      return notAnObject(t);
    }
    c.beginObject(false);
    String name;
    while ((name = c.nextName(false)) != null) {
      JsonToken value = c.value();
      if (name.equals("parts") && value == START_ARRAY) {
        for (int i = 0; c.nextElement(i); i++) {
          functionResponsePart();
          c.endElement();
        }
      } else {
        c.walk(false);
      }
      c.endMember();
    }
    return true;
  }

  private void functionResponsePart() throws IOException {
    if (c.token() != START_OBJECT) {
      c.walk(false);
      return;
    }
    c.beginObject(false);
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "fileData", "file_data" -> {
          seen = c.knownField(seen, FILE_DATA);
          fileData.functionResponseFileData();
        }
        case "inlineData", "inline_data" -> {
          seen = c.knownField(seen, INLINE_DATA);
          fileData.functionResponseInlineData();
        }
        default -> {
          c.value();
          c.walk(false);
        }
      }
      c.endMember();
    }
  }

  /**
   * A request's model member, in a generation or an embedding request alike: reported and skipped,
   * since the batch job names the model.
   */
  static void modelInRequest(LineCursor c) throws IOException {
    c.report(
        Rule.MODEL_IN_REQUEST,
        c.path()
            + " is set; expected no model inside the request: "
            + "the model is set on the batch job");
    c.skipValue();
  }

  /** functionCall and the like: an object whose inside only the line-wide rules check. */
  private boolean objectMember() throws IOException {
    JsonToken t = c.value();
    if (t != START_OBJECT) {
      return notAnObject(t);
    }
    c.walk(false);
    return true;
  }

  /**
   * A member that should be an object and is not: null is as good as absent (false); anything else
   * is reported and skipped (true).
   */
  private boolean notAnObject(JsonToken t) throws IOException {
    if (t == VALUE_NULL) {
      return false;
    }
    c.reportWrongType(
        Rule.FIELD_TYPE, c.path() + " is " + JsonType.describe(t) + "; expected an object");
    return true;
  }

  private void tools() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != START_ARRAY) {
      c.wrongType(t, "an array of tools such as [{\"functionDeclarations\": [...]}]");
      return;
    }
    for (int i = 0; c.nextElement(i); i++) {
      tool();
      c.endElement();
    }
  }

  private void tool() throws IOException {
    if (c.token() != START_OBJECT) {
      if (c.token() != VALUE_NULL) {
        c.reportWrongType(
            Rule.FIELD_TYPE,
            c.path() + " is " + JsonType.describe(c.token()) + "; expected an object");
      }
      return;
    }
    c.beginObject(false);
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      seen = c.knownField(seen, toolField(name));
      BackendFields.check(c, backend, BackendFields.Place.TOOL, name);
      JsonToken t = c.value();
      if ((name.equals("functionDeclarations") || name.equals("function_declarations"))
          && t == START_ARRAY) {
        for (int i = 0; c.nextElement(i); i++) {
          functionDeclaration();
          c.endElement();
        }
      } else {
        c.walk(false);
      }
      c.endMember();
    }
  }

  /** safetySettings: an array of objects whose members may be one backend's only. */
  private void safetySettings() throws IOException {
    if (c.value() != START_ARRAY) {
      c.walk(false);
      return;
    }
    for (int i = 0; c.nextElement(i); i++) {
      if (c.token() == START_OBJECT) {
        c.beginObject(false);
        long seen = 0;
        String name;
        while ((name = c.nextName(false)) != null) {
          seen = c.knownField(seen, safetySettingField(name));
          BackendFields.check(c, backend, BackendFields.Place.SAFETY_SETTING, name);
          c.skipValue();
          c.endMember();
        }
      } else {
        c.walk(false);
      }
      c.endElement();
    }
  }

  private void functionDeclaration() throws IOException {
    if (c.token() != START_OBJECT) {
      c.walk(false);
      return;
    }
    c.beginObject(false);
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      long bit = functionDeclarationField(name);
      seen = c.knownField(seen, bit);
      c.value();
      if (bit == PARAMETERS || bit == RESPONSE) {
        schemas.schema();
      } else {
        // The JSON schemas are JSON values: walk(true) checks their keys.
        c.walk(bit == PARAMETERS_JSON_SCHEMA || bit == RESPONSE_JSON_SCHEMA);
      }
      c.endMember();
    }
  }

  /**
   * A Tool's known field (both SDKs' tools), for {@link LineCursor#knownField}; 0 for a name no
   * rule knows, which protobuf skips however often it is given.
   */
  private static long toolField(String name) {
    return switch (name) {
      case "functionDeclarations", "function_declarations" -> FUNCTION_DECLARATIONS;
      case "retrieval" -> RETRIEVAL;
      case "googleSearch", "google_search" -> GOOGLE_SEARCH;
      case "googleSearchRetrieval", "google_search_retrieval" -> GOOGLE_SEARCH_RETRIEVAL;
      case "googleMaps", "google_maps" -> GOOGLE_MAPS;
      case "enterpriseWebSearch", "enterprise_web_search" -> ENTERPRISE_WEB_SEARCH;
      case "parallelAiSearch", "parallel_ai_search" -> PARALLEL_AI_SEARCH;
      case "exaAiSearch", "exa_ai_search" -> EXA_AI_SEARCH;
      case "codeExecution", "code_execution" -> CODE_EXECUTION;
      case "urlContext", "url_context" -> URL_CONTEXT;
      case "computerUse", "computer_use" -> COMPUTER_USE;
      case "fileSearch", "file_search" -> FILE_SEARCH;
      default -> 0;
    };
  }

  /** A FunctionDeclaration's known field, for {@link LineCursor#knownField}; 0 for another. */
  private static long functionDeclarationField(String name) {
    return switch (name) {
      case "name" -> NAME;
      case "description" -> DESCRIPTION;
      case "parameters" -> PARAMETERS;
      case "parametersJsonSchema", "parameters_json_schema" -> PARAMETERS_JSON_SCHEMA;
      case "response" -> RESPONSE;
      case "responseJsonSchema", "response_json_schema" -> RESPONSE_JSON_SCHEMA;
      case "behavior" -> BEHAVIOR;
      default -> 0;
    };
  }

  /** A SafetySetting's known field, for {@link LineCursor#knownField}; 0 for another. */
  private static long safetySettingField(String name) {
    return switch (name) {
      case "category" -> CATEGORY;
      case "threshold" -> THRESHOLD;
      case "method" -> METHOD;
      default -> 0;
    };
  }
}
