package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_FLOAT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** {@code request.generationConfig}: number ranges, response MIME type and response schemas. */
final class GenerationConfigRules {

  private static final String JSON = "application/json";
  private static final String ENUM = "text/x.enum";

  private static final String NOT_FINITE =
      ", beyond the range of a finite number (it reads as infinity); expected a finite ";

  private final LineCursor c;
  private final Backend backend;
  private final CountRecorder counts;

  GenerationConfigRules(LineCursor cursor, Backend backend, CountRecorder counts) {
    this.c = cursor;
    this.backend = backend;
    this.counts = counts;
  }

  void check() throws IOException {
    if (c.objectValue("an object such as {\"temperature\": 0.2, \"maxOutputTokens\": 1024}")
        != LineCursor.ObjectValue.OBJECT) {
      return;
    }
    int column = c.column();
    c.beginObject(false);
    boolean schema = false;
    String mimeType = null;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "temperature" -> number(0, true, 2, true, "between 0 and 2");
        case "topP", "top_p" -> number(0, true, 1, true, "between 0 and 1");
        case "topK", "top_k" -> number(0, true, Double.POSITIVE_INFINITY, true, "of at least 0");
        case "presencePenalty", "presence_penalty", "frequencyPenalty", "frequency_penalty" ->
            number(-2, true, 2, false, "from -2 up to but not including 2");
        case "candidateCount", "candidate_count" -> {
          integer(1);
          counts.candidates();
        }
        case "maxOutputTokens", "max_output_tokens" -> {
          integer(1);
          counts.maxOutputTokens();
        }
        // An int32 for Vertex, but staged numbers keep their spelling and a big one only fails its
        // row there; infinity is what the validator's own range checks would get wrong.
        case "seed" ->
            number(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, "such as 42");
        case "responseMimeType", "response_mime_type" -> mimeType = responseMimeType();
        case "responseSchema", "response_schema", "responseJsonSchema", "response_json_schema" -> {
          schema |= c.value() != VALUE_NULL;
          c.walk(true);
        }
        case "stopSequences",
            "stop_sequences",
            "responseLogprobs",
            "response_logprobs",
            "logprobs",
            "responseModalities",
            "response_modalities",
            "mediaResolution",
            "media_resolution",
            "thinkingConfig",
            "thinking_config",
            "speechConfig",
            "speech_config",
            "imageConfig",
            "image_config",
            "routingConfig",
            "routing_config",
            "audioTimestamp",
            "audio_timestamp",
            "modelSelectionConfig",
            "model_selection_config",
            "enableEnhancedCivicAnswers",
            "enable_enhanced_civic_answers",
            "enableAffectiveDialog",
            "enable_affective_dialog",
            "modelConfig",
            "model_config" -> {
          BackendFields.check(c, backend, BackendFields.Place.GENERATION_CONFIG, name);
          c.skipValue();
        }
        default -> {
          c.unknownField(
              "generationConfig",
              "e.g. temperature, topP, topK, maxOutputTokens, responseMimeType, responseSchema"
                  + " (or snake_case)");
        }
      }
      c.endMember();
    }
    if (schema && !JSON.equals(mimeType) && !ENUM.equals(mimeType)) {
      c.report(
          Rule.RESPONSE_SCHEMA_MIME_TYPE,
          column,
          c.path()
              + " has a response schema but responseMimeType is "
              + (mimeType == null ? "not set" : JsonPaths.quote(mimeType))
              + "; expected responseMimeType \""
              + JSON
              + "\" (or \""
              + ENUM
              + "\" for an enum schema)");
    }
  }

  private void number(
      double min, boolean minInclusive, double max, boolean maxInclusive, String range)
      throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t != VALUE_NUMBER_INT && t != VALUE_NUMBER_FLOAT) {
      c.reportWrongType(
          Rule.FIELD_TYPE,
          c.path() + " is " + JsonType.describe(t) + "; expected a number " + range);
      return;
    }
    double v = c.parser().getDoubleValue();
    if (!Double.isFinite(v)) {
      // 1e999 parses as Infinity, which every range with an open end would let through.
      c.report(
          Rule.CONFIG_OUT_OF_RANGE,
          c.path() + " is " + numberText() + NOT_FINITE + "number " + range);
      return;
    }
    boolean aboveMin = minInclusive ? v >= min : v > min;
    boolean belowMax = maxInclusive ? v <= max : v < max;
    if (!aboveMin || !belowMax) {
      c.report(
          Rule.CONFIG_OUT_OF_RANGE,
          c.path() + " is " + numberText() + "; expected a number " + range);
    }
  }

  /**
   * candidateCount and maxOutputTokens: protobuf int32 of at least {@code min}; 5.0 and 1e3 are
   * whole numbers too.
   */
  private void integer(int min) throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return;
    }
    if (t == VALUE_NUMBER_INT) {
      boolean fits = c.parser().getNumberType() == NumberType.INT;
      if (!fits || c.parser().getIntValue() < min) {
        c.report(Rule.CONFIG_OUT_OF_RANGE, c.path() + " is " + numberText() + expected(min));
      }
    } else if (t == VALUE_NUMBER_FLOAT) {
      double v = c.parser().getDoubleValue();
      if (!Double.isFinite(v)) {
        c.report(
            Rule.CONFIG_OUT_OF_RANGE,
            c.path()
                + " is "
                + numberText()
                + NOT_FINITE
                + "integer from "
                + min
                + " to "
                + Integer.MAX_VALUE);
      } else if (v != Math.rint(v)) {
        c.report(
            Rule.FIELD_TYPE,
            c.path() + " is " + numberText() + ", not a whole number" + expected(min));
      } else if (v < min || v > Integer.MAX_VALUE) {
        c.report(Rule.CONFIG_OUT_OF_RANGE, c.path() + " is " + numberText() + expected(min));
      }
    } else {
      c.reportWrongType(Rule.FIELD_TYPE, c.path() + " is " + JsonType.describe(t) + expected(min));
    }
  }

  /** Built only for a finding: every maxOutputTokens of every line comes through here. */
  private static String expected(int min) {
    return "; expected an integer from " + min + " to " + Integer.MAX_VALUE;
  }

  /** The number as the user wrote it, cut when it is absurdly long. */
  private String numberText() throws IOException {
    return Excerpt.of(c.text());
  }

  private String responseMimeType() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return null;
    }
    if (t != VALUE_STRING) {
      c.wrongType(t, "\"text/plain\", \"" + JSON + "\" or \"" + ENUM + "\"");
      return null;
    }
    String mimeType = c.text();
    if (!mimeType.equals("text/plain") && !mimeType.equals(JSON) && !mimeType.equals(ENUM)) {
      c.report(
          Rule.RESPONSE_MIME_TYPE_INVALID,
          c.path()
              + " is "
              + JsonPaths.quote(mimeType)
              + "; expected \"text/plain\", \""
              + JSON
              + "\" or \""
              + ENUM
              + "\"");
    }
    return mimeType;
  }
}
