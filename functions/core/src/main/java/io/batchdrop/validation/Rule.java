package io.batchdrop.validation;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every check the validator makes, with its stable code. Codes never change meaning: reports,
 * tooling and users' scripts key on them.
 */
public enum Rule {
  // The line as bytes and JSON.
  LINE_TOO_LONG(
      "line-too-long",
      Severity.ERROR,
      "the line is longer than the configured maximum (default 10 MiB), as uploaded or as staged"
          + " (where each single-object \"parts\" gains the brackets of an array)"),
  INVALID_UTF8("invalid-utf8", Severity.ERROR, "the line holds bytes that are not valid UTF-8"),
  FILE_NOT_UTF8(
      "file-not-utf8",
      Severity.ERROR,
      "the file starts with a UTF-16 or UTF-32 byte order mark, or holds a NUL byte: the whole file is "
          + "rejected whatever the policy, with this one finding"),
  JSON_SYNTAX("json-syntax", Severity.ERROR, "the line is not valid JSON"),
  TRAILING_DATA(
      "trailing-data", Severity.ERROR, "something follows the JSON object on the same line"),
  LINE_NOT_OBJECT("line-not-object", Severity.ERROR, "the line is JSON but not an object"),
  BLANK_LINE(
      "blank-line", Severity.WARNING, "an empty or whitespace-only line; skipped, it is not a row"),
  UTF8_BOM(
      "utf8-bom",
      Severity.WARNING,
      "the file starts with a UTF-8 byte order mark; it is dropped (once per file)"),
  CRLF_LINE_ENDINGS(
      "crlf-line-endings",
      Severity.WARNING,
      "lines end with CR LF, or the last line with a bare CR; staged lines end with LF (once per file)"),
  CR_LINE_ENDINGS(
      "cr-line-endings",
      Severity.ERROR,
      "JSON values on one line are separated by a bare CR (classic Mac OS line endings); only LF or CR LF ends a line"),

  // The line's own members.
  REQUEST_MISSING("request-missing", Severity.ERROR, "the line has no \"request\" member"),
  REQUEST_NOT_OBJECT("request-not-object", Severity.ERROR, "\"request\" is not a JSON object"),
  KEY_NOT_STRING("key-not-string", Severity.ERROR, "the top-level \"key\" is not a string"),
  KEY_EMPTY("key-empty", Severity.ERROR, "the top-level \"key\" is an empty string"),
  KEY_TOO_LONG(
      "key-too-long", Severity.ERROR, "the top-level \"key\" is longer than 256 characters"),
  KEY_NUMERIC(
      "key-numeric",
      Severity.ERROR,
      "the top-level \"key\" looks like a number, which Vertex may return as a number; prefix it with a letter",
      Backend.VERTEX),

  // GenerateContentRequest.
  CONTENTS_MISSING("contents-missing", Severity.ERROR, "request has no \"contents\""),
  CONTENTS_NOT_ARRAY("contents-not-array", Severity.ERROR, "\"contents\" is not an array"),
  CONTENTS_EMPTY("contents-empty", Severity.ERROR, "\"contents\" is an empty array"),
  CONTENT_NOT_OBJECT(
      "content-not-object", Severity.ERROR, "an element of \"contents\" is not an object"),
  ROLE_INVALID("role-invalid", Severity.ERROR, "\"role\" is not \"user\" or \"model\""),
  PARTS_MISSING(
      "parts-missing",
      Severity.ERROR,
      "a content (or systemInstruction) has no \"parts\", or it is null"),
  PARTS_NOT_ARRAY("parts-not-array", Severity.ERROR, "\"parts\" is neither an array nor an object"),
  PARTS_OBJECT(
      "parts-object",
      Severity.WARNING,
      "\"parts\" is a single object; staging wraps it in an array"),
  PARTS_EMPTY("parts-empty", Severity.ERROR, "\"parts\" is an empty array"),
  PART_NOT_OBJECT("part-not-object", Severity.ERROR, "an element of \"parts\" is not an object"),
  PART_NO_DATA(
      "part-no-data",
      Severity.ERROR,
      "a part has none of text, inlineData, fileData, functionCall, functionResponse, executableCode, codeExecutionResult"),
  PART_MULTIPLE_DATA(
      "part-multiple-data", Severity.ERROR, "a part has more than one of those data members"),
  DUPLICATE_FIELD(
      "duplicate-field",
      Severity.ERROR,
      "a known field is given twice in one object (also in its two spellings, generationConfig and"
          + " generation_config), or a key twice in a map (labels, a schema's properties) or a JSON"
          + " schema; the backend refuses the line or keeps one of the values"),
  FILE_URI_MISSING("file-uri-missing", Severity.ERROR, "fileData has no fileUri"),
  FILE_URI_INVALID(
      "file-uri-invalid",
      Severity.ERROR,
      "fileData.fileUri is not a URI the backend reads: Vertex a gs://bucket/object URI; the Gemini API a"
          + " Files API URI (https://generativelanguage.googleapis.com/v1beta/files/ID) or a YouTube URL"),
  FILE_BUCKET_NOT_ALLOWED(
      "file-bucket-not-allowed",
      Severity.ERROR,
      "fileData.fileUri points into a bucket that is not on the configured allow-list, or into"
          + " Batchdrop's own work bucket",
      Backend.VERTEX),
  MIME_TYPE_MISSING("mime-type-missing", Severity.ERROR, "fileData or inlineData has no mimeType"),
  INLINE_DATA_MISSING("inline-data-missing", Severity.ERROR, "inlineData has no data"),
  CACHED_CONTENT(
      "cached-content",
      Severity.ERROR,
      "cachedContent is set; context caching is not supported in batch"),
  FIELD_TYPE(
      "field-type",
      Severity.ERROR,
      "a known field has the wrong JSON type (temperature a string, text a number, systemInstruction not an object, "
          + "tools not an array, candidateCount not a whole number, ...)"),
  CONFIG_OUT_OF_RANGE(
      "config-out-of-range",
      Severity.ERROR,
      "a generationConfig number is out of range (temperature 0-2, topP 0-1, topK >= 0, candidateCount >= 1, "
          + "maxOutputTokens >= 1, presence/frequencyPenalty in [-2, 2))"),
  RESPONSE_MIME_TYPE_INVALID(
      "response-mime-type-invalid",
      Severity.ERROR,
      "responseMimeType is not text/plain, application/json or text/x.enum"),
  RESPONSE_SCHEMA_MIME_TYPE(
      "response-schema-mime-type",
      Severity.ERROR,
      "responseSchema or responseJsonSchema is set without responseMimeType application/json or text/x.enum"),
  MODEL_IN_REQUEST(
      "model-in-request",
      Severity.WARNING,
      "request.model is set; the model is chosen for the whole job"),
  LABEL_INVALID(
      "label-invalid",
      Severity.ERROR,
      "a request.labels entry is not a string or breaks the label rules (lowercase letters, digits, _ and -, at most 63)"),
  LABEL_OVERWRITTEN(
      "label-overwritten",
      Severity.WARNING,
      "request.labels.batchdrop_row is set by the user; staging overwrites it with the row number"),
  FIELD_DROPPED_ON_BACKEND(
      "field-dropped-on-backend",
      Severity.WARNING,
      "a field the Gemini API does not have and that does not change the answer (request.labels, a"
          + " fileData or inlineData displayName; the official SDK refuses them there): left out of"
          + " the Gemini API copy, the row goes on",
      Backend.GEMINI_API),
  UNKNOWN_FIELD(
      "unknown-field",
      Severity.WARNING,
      "a field the request format does not define (often a typo); it is passed on"),
  FIELD_NOT_ON_BACKEND(
      "field-not-on-backend",
      Severity.ERROR,
      "a field only the other backend has (the official SDK refuses it for this one): on the Gemini API"
          + " modelArmorConfig, generationConfig.routingConfig / audioTimestamp / modelSelectionConfig,"
          + " safetySettings[].method, a retrieval or enterpriseWebSearch tool; on Vertex"
          + " generationConfig.enableEnhancedCivicAnswers, a fileSearch tool, a part's partMetadata"),

  // Embedding requests: a file whose model is an embedding model.
  EMBEDDINGS_NOT_SUPPORTED(
      "embeddings-not-supported",
      Severity.ERROR,
      "the model is an embedding model and the backend is Vertex, where Batchdrop does not submit"
          + " embeddings batches: the whole file is rejected, with this one finding",
      Backend.VERTEX),
  CONTENT_MISSING(
      "content-missing",
      Severity.ERROR,
      "an embedding request has no content (or it is null)",
      Backend.GEMINI_API),
  GENERATE_FIELD_IN_EMBEDDING(
      "generate-field-in-embedding",
      Severity.ERROR,
      "an embedding request has a field of a generation request (contents, generationConfig, tools,"
          + " systemInstruction, labels, ...)",
      Backend.GEMINI_API),
  TASK_TYPE_INVALID(
      "task-type-invalid",
      Severity.ERROR,
      "taskType is not one of RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY, CLASSIFICATION,"
          + " CLUSTERING, QUESTION_ANSWERING, FACT_VERIFICATION, CODE_RETRIEVAL_QUERY",
      Backend.GEMINI_API),
  OUTPUT_DIMENSIONALITY_INVALID(
      "output-dimensionality-invalid",
      Severity.ERROR,
      "outputDimensionality is not a whole number from 1 to 3072 (gemini-embedding-001's full size)",
      Backend.GEMINI_API),

  // Rules of the Vertex importer, which fail the whole job rather than one row. The Gemini API
  // parses each line on its own as proto JSON, where none of them hold.
  EMPTY_OBJECT(
      "empty-object",
      Severity.ERROR,
      "an empty object {} anywhere in the line (request.labels excepted: staging always fills it),"
          + " unless a more precise finding already says what is wrong with it",
      Backend.VERTEX),
  DOLLAR_KEY(
      "dollar-key",
      Severity.ERROR,
      "an object key starting with $ anywhere in the line",
      Backend.VERTEX),
  KEY_WITH_SPACE(
      "key-with-space",
      Severity.ERROR,
      "an object key containing whitespace anywhere in the line",
      Backend.VERTEX),
  SCHEMA_KEY_INVALID(
      "schema-key-invalid",
      Severity.ERROR,
      "inside a response or function schema, a key with characters other than A-Z a-z 0-9 _",
      Backend.VERTEX),
  NESTING_TOO_DEEP(
      "nesting-too-deep",
      Severity.ERROR,
      "objects nested more than 15 levels below request (arrays do not count)",
      Backend.VERTEX),
  TYPE_MISMATCH(
      "type-mismatch",
      Severity.ERROR,
      "a field (array indices ignored) has a different JSON type than on an earlier line or elsewhere on the line;"
          + " a known field whose own rule reports its type gets that finding instead",
      Backend.VERTEX),
  KEY_PATH_TRACKING_STOPPED(
      "key-path-tracking-stopped",
      Severity.WARNING,
      "the file has so many distinct field paths that type consistency is no longer checked for new ones (once per file)",
      Backend.VERTEX);

  private final String code;
  private final Severity severity;
  private final String description;
  private final Set<Backend> backends;

  /** A rule of every backend. */
  Rule(String code, Severity severity, String description) {
    this(code, severity, description, Backend.values());
  }

  /** A rule of the given backends only: elsewhere the service accepts what it reports. */
  Rule(String code, Severity severity, String description, Backend... backends) {
    this.code = code;
    this.severity = severity;
    this.description = description;
    this.backends = Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(backends)));
  }

  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  /** What triggers the rule, in one sentence (used for documentation tables). */
  public String description() {
    return description;
  }

  /** The backends whose files this rule checks. */
  public Set<Backend> backends() {
    return backends;
  }

  public boolean appliesTo(Backend backend) {
    return backends.contains(backend);
  }

  public Finding at(long line, int column, String path, String message) {
    return new Finding(line, column, code, path, message, severity);
  }
}
