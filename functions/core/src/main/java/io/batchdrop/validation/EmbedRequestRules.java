package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;

/**
 * The {@code request} of a line for an embedding model: the Gemini API's {@code
 * EmbedContentRequest} ({@code content}, one Content; {@code taskType}, {@code title}, {@code
 * outputDimensionality}), in camelCase or snake_case, as its batch file takes it ({@code {"key": …,
 * "request": {"content": {"parts": [{"text": …}]}}}}).
 */
final class EmbedRequestRules {

  /** The request's content, checked with the generation rules for a Content. */
  interface ContentRule {
    void content() throws IOException;
  }

  static final int MAX_DIMENSIONS = 3072;

  static final Set<String> TASK_TYPES =
      Set.of(
          "TASK_TYPE_UNSPECIFIED",
          "RETRIEVAL_QUERY",
          "RETRIEVAL_DOCUMENT",
          "SEMANTIC_SIMILARITY",
          "CLASSIFICATION",
          "CLUSTERING",
          "QUESTION_ANSWERING",
          "FACT_VERIFICATION",
          "CODE_RETRIEVAL_QUERY");

  private static final String CONTENT_EXAMPLE = "{\"parts\": [{\"text\": \"...\"}]}";

  // A bit per known field of an embedding request, for LineCursor.knownField.
  private static final long CONTENT = 1;
  private static final long TASK_TYPE = 1 << 1;
  private static final long TITLE = 1 << 2;
  private static final long OUTPUT_DIMENSIONALITY = 1 << 3;
  private static final long MODEL = 1 << 4;

  private final LineCursor c;
  private final ContentRule content;
  private final LayoutRecorder layout;

  EmbedRequestRules(LineCursor cursor, ContentRule content, LayoutRecorder layout) {
    this.c = cursor;
    this.content = content;
    this.layout = layout;
  }

  /** The cursor stands on the request's START_OBJECT. */
  void request() throws IOException {
    int column = c.column();
    c.beginObject(false);
    boolean sawContent = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      layout.requestMember();
      switch (name) {
        case "content" -> {
          seen = c.knownField(seen, CONTENT);
          sawContent |= content();
        }
        case "taskType", "task_type" -> {
          seen = c.knownField(seen, TASK_TYPE);
          taskType();
        }
        case "title" -> {
          seen = c.knownField(seen, TITLE);
          title();
        }
        case "outputDimensionality", "output_dimensionality" -> {
          seen = c.knownField(seen, OUTPUT_DIMENSIONALITY);
          outputDimensionality();
        }
        case "model" -> {
          seen = c.knownField(seen, MODEL);
          RequestRules.modelInRequest(c);
        }
        case "contents",
            "systemInstruction",
            "system_instruction",
            "generationConfig",
            "generation_config",
            "tools",
            "toolConfig",
            "tool_config",
            "safetySettings",
            "safety_settings",
            "cachedContent",
            "cached_content",
            "labels" -> {
          // Staging treats these as it does in a generation request; the rules here do not.
          layout.unusual();
          c.report(
              Rule.GENERATE_FIELD_IN_EMBEDDING,
              c.path()
                  + " is a field of a generation request, but the model is an embedding model;"
                  + " expected an embedding request such as {\"content\": "
                  + CONTENT_EXAMPLE
                  + ", \"taskType\": \"RETRIEVAL_DOCUMENT\"}");
          c.skipValue();
        }
        default -> {
          c.unknownField(
              "an embedding request",
              "content, taskType, title or outputDimensionality (or snake_case)");
        }
      }
      c.endMember();
    }
    if (!sawContent) {
      c.report(
          Rule.CONTENT_MISSING,
          column,
          "request has no \"content\"; expected one content to embed, such as " + CONTENT_EXAMPLE);
    }
  }

  /** True when a content was there (a usable one or one already reported). */
  private boolean content() throws IOException {
    LineCursor.ObjectValue value = c.objectValue("an object such as " + CONTENT_EXAMPLE);
    if (value == LineCursor.ObjectValue.ABSENT) {
      c.report(Rule.CONTENT_MISSING, c.path() + " is null; expected " + CONTENT_EXAMPLE);
      return true;
    }
    if (value == LineCursor.ObjectValue.OBJECT) {
      content.content();
    }
    return true;
  }

  private void taskType() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != VALUE_STRING) {
      c.wrongType(t, "a task type string");
      return;
    }
    String type = c.text();
    if (!TASK_TYPES.contains(type)) {
      c.report(
          Rule.TASK_TYPE_INVALID,
          c.path()
              + " is "
              + JsonPaths.quote(type)
              + "; expected one of RETRIEVAL_QUERY, RETRIEVAL_DOCUMENT, SEMANTIC_SIMILARITY,"
              + " CLASSIFICATION, CLUSTERING, QUESTION_ANSWERING, FACT_VERIFICATION,"
              + " CODE_RETRIEVAL_QUERY");
    }
  }

  private void title() throws IOException {
    JsonToken t = c.value();
    if (t != VALUE_NULL && t != VALUE_STRING) {
      c.wrongType(t, "a string");
    }
  }

  private void outputDimensionality() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != VALUE_NUMBER_INT && t != VALUE_NUMBER_FLOAT) {
      c.wrongType(t, "a whole number such as 768");
      return;
    }
    double n = c.parser().getDoubleValue();
    if (n != Math.rint(n) || n < 1 || n > MAX_DIMENSIONS) {
      c.report(
          Rule.OUTPUT_DIMENSIONALITY_INVALID,
          c.path()
              + " is "
              + c.text()
              + "; expected a whole number from 1 to "
              + MAX_DIMENSIONS
              + " (768, 1536 and 3072 are the sizes Google recommends)");
    }
  }
}
