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

  // A bit per known field, for LineCursor.knownField.
  private static final long TEMPERATURE = 1;
  private static final long TOP_P = 1L << 1;
  private static final long TOP_K = 1L << 2;
  private static final long PRESENCE_PENALTY = 1L << 3;
  private static final long FREQUENCY_PENALTY = 1L << 4;
  private static final long CANDIDATE_COUNT = 1L << 5;
  private static final long MAX_OUTPUT_TOKENS = 1L << 6;
  private static final long SEED = 1L << 7;
  private static final long RESPONSE_MIME_TYPE = 1L << 8;
  private static final long RESPONSE_SCHEMA = 1L << 9;
  private static final long RESPONSE_JSON_SCHEMA = 1L << 10;
  private static final long STOP_SEQUENCES = 1L << 11;
  private static final long RESPONSE_LOGPROBS = 1L << 12;
  private static final long LOGPROBS = 1L << 13;
  private static final long RESPONSE_MODALITIES = 1L << 14;
  private static final long MEDIA_RESOLUTION = 1L << 15;
  private static final long THINKING_CONFIG = 1L << 16;
  private static final long SPEECH_CONFIG = 1L << 17;
  private static final long IMAGE_CONFIG = 1L << 18;
  private static final long ROUTING_CONFIG = 1L << 19;
  private static final long AUDIO_TIMESTAMP = 1L << 20;
  private static final long MODEL_SELECTION_CONFIG = 1L << 21;
  private static final long ENABLE_ENHANCED_CIVIC_ANSWERS = 1L << 22;
  private static final long ENABLE_AFFECTIVE_DIALOG = 1L << 23;
  private static final long MODEL_CONFIG = 1L << 24;

  private final LineCursor c;
  private final Backend backend;
  private final CountRecorder counts;
  private final SchemaRules schemas;

  GenerationConfigRules(
      LineCursor cursor, Backend backend, CountRecorder counts, SchemaRules schemas) {
    this.c = cursor;
    this.backend = backend;
    this.counts = counts;
    this.schemas = schemas;
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
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "temperature" -> {
          seen = c.knownField(seen, TEMPERATURE);
          number(0, true, 2, true, "between 0 and 2");
        }
        case "topP", "top_p" -> {
          seen = c.knownField(seen, TOP_P);
          number(0, true, 1, true, "between 0 and 1");
        }
        case "topK", "top_k" -> {
          seen = c.knownField(seen, TOP_K);
          number(0, true, Double.POSITIVE_INFINITY, true, "of at least 0");
        }
        case "presencePenalty", "presence_penalty" -> {
          seen = c.knownField(seen, PRESENCE_PENALTY);
          penalty();
        }
        case "frequencyPenalty", "frequency_penalty" -> {
          seen = c.knownField(seen, FREQUENCY_PENALTY);
          penalty();
        }
        case "candidateCount", "candidate_count" -> {
          seen = c.knownField(seen, CANDIDATE_COUNT);
          integer(1);
          counts.candidates();
        }
        case "maxOutputTokens", "max_output_tokens" -> {
          seen = c.knownField(seen, MAX_OUTPUT_TOKENS);
          integer(1);
          counts.maxOutputTokens();
        }
        // An int32 for Vertex, but staged numbers keep their spelling and a big one only fails its
        // row there; infinity is what the validator's own range checks would get wrong.
        case "seed" -> {
          seen = c.knownField(seen, SEED);
          number(Double.NEGATIVE_INFINITY, true, Double.POSITIVE_INFINITY, true, "such as 42");
        }
        case "responseMimeType", "response_mime_type" -> {
          seen = c.knownField(seen, RESPONSE_MIME_TYPE);
          mimeType = responseMimeType();
        }
        case "responseSchema", "response_schema" -> {
          seen = c.knownField(seen, RESPONSE_SCHEMA);
          schema |= responseSchema(true);
        }
        case "responseJsonSchema", "response_json_schema" -> {
          seen = c.knownField(seen, RESPONSE_JSON_SCHEMA);
          schema |= responseSchema(false);
        }
        case "stopSequences", "stop_sequences" -> seen = passedOn(seen, STOP_SEQUENCES, name);
        case "responseLogprobs", "response_logprobs" ->
            seen = passedOn(seen, RESPONSE_LOGPROBS, name);
        case "logprobs" -> seen = passedOn(seen, LOGPROBS, name);
        case "responseModalities", "response_modalities" ->
            seen = passedOn(seen, RESPONSE_MODALITIES, name);
        case "mediaResolution", "media_resolution" -> seen = passedOn(seen, MEDIA_RESOLUTION, name);
        case "thinkingConfig", "thinking_config" -> seen = passedOn(seen, THINKING_CONFIG, name);
        case "speechConfig", "speech_config" -> seen = passedOn(seen, SPEECH_CONFIG, name);
        case "imageConfig", "image_config" -> seen = passedOn(seen, IMAGE_CONFIG, name);
        case "routingConfig", "routing_config" -> seen = passedOn(seen, ROUTING_CONFIG, name);
        case "audioTimestamp", "audio_timestamp" -> seen = passedOn(seen, AUDIO_TIMESTAMP, name);
        case "modelSelectionConfig", "model_selection_config" ->
            seen = passedOn(seen, MODEL_SELECTION_CONFIG, name);
        case "enableEnhancedCivicAnswers", "enable_enhanced_civic_answers" ->
            seen = passedOn(seen, ENABLE_ENHANCED_CIVIC_ANSWERS, name);
        case "enableAffectiveDialog", "enable_affective_dialog" ->
            seen = passedOn(seen, ENABLE_AFFECTIVE_DIALOG, name);
        case "modelConfig", "model_config" -> seen = passedOn(seen, MODEL_CONFIG, name);
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

  /** presencePenalty and frequencyPenalty. */
  private void penalty() throws IOException {
    number(-2, true, 2, false, "from -2 up to but not including 2");
  }

  /**
   * responseSchema ({@code typed}, a Schema message) or responseJsonSchema (a JSON value); true
   * when it is set (not null).
   */
  private boolean responseSchema(boolean typed) throws IOException {
    boolean set = c.value() != VALUE_NULL;
    if (typed) {
      schemas.schema();
    } else {
      c.walk(true);
    }
    return set;
  }

  /**
   * A field whose value only the line-wide rules check, and which may be one backend's only: the
   * known fields with {@code bit}, returned.
   */
  private long passedOn(long seen, long bit, String name) throws IOException {
    long known = c.knownField(seen, bit);
    BackendFields.check(c, backend, BackendFields.Place.GENERATION_CONFIG, name);
    c.skipValue();
    return known;
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
