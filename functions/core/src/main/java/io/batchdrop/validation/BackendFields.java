package io.batchdrop.validation;

import java.util.HashMap;
import java.util.Map;

/**
 * Request fields that only one backend defines, as the official Gen AI SDK (google-genai 2.0.0)
 * knows them: its request converters refuse these for the other backend ("... parameter is only
 * supported in Gemini Enterprise Agent Platform mode" / "... in Gemini Developer API mode"). Sent
 * anyway, such a field is at best ignored, and on the Gemini API a line the service refuses fails
 * the whole batch at create.
 */
final class BackendFields {

  /** Where in a request a member is. */
  enum Place {
    REQUEST("request"),
    GENERATION_CONFIG("generationConfig"),
    TOOL("a tool"),
    SAFETY_SETTING("a safety setting"),
    PART("a part");

    private final String description;

    Place(String description) {
      this.description = description;
    }
  }

  private record Key(Place place, String name) {}

  private static final Map<Key, Backend> ONLY_ON = new HashMap<>();

  static {
    only(Backend.VERTEX, Place.REQUEST, "modelArmorConfig", "model_armor_config");
    only(Backend.VERTEX, Place.GENERATION_CONFIG, "routingConfig", "routing_config");
    only(Backend.VERTEX, Place.GENERATION_CONFIG, "audioTimestamp", "audio_timestamp");
    only(Backend.VERTEX, Place.GENERATION_CONFIG, "modelSelectionConfig", "model_selection_config");
    only(Backend.VERTEX, Place.TOOL, "retrieval", "retrieval");
    only(Backend.VERTEX, Place.TOOL, "enterpriseWebSearch", "enterprise_web_search");
    only(Backend.VERTEX, Place.TOOL, "exaAiSearch", "exa_ai_search");
    only(Backend.VERTEX, Place.TOOL, "parallelAiSearch", "parallel_ai_search");
    only(Backend.VERTEX, Place.SAFETY_SETTING, "method", "method");
    only(
        Backend.GEMINI_API,
        Place.GENERATION_CONFIG,
        "enableEnhancedCivicAnswers",
        "enable_enhanced_civic_answers");
    only(Backend.GEMINI_API, Place.TOOL, "fileSearch", "file_search");
    only(Backend.GEMINI_API, Place.PART, "partMetadata", "part_metadata");
  }

  private static void only(Backend backend, Place place, String camel, String snake) {
    ONLY_ON.put(new Key(place, camel), backend);
    ONLY_ON.put(new Key(place, snake), backend);
  }

  private BackendFields() {}

  /** The one backend that has {@code name} at {@code place}, or null when both (or none) do. */
  static Backend onlyOn(Place place, String name) {
    return ONLY_ON.get(new Key(place, name));
  }

  /**
   * Reports {@code field-not-on-backend} when the member the cursor stands on belongs to the other
   * backend only; true when it did. Called before the member's value is read, so that the finding
   * points at the member's name.
   */
  static boolean check(LineCursor c, Backend backend, Place place, String name) {
    Backend only = onlyOn(place, name);
    if (only == null || only == backend) {
      return false;
    }
    c.report(
        Rule.FIELD_NOT_ON_BACKEND,
        c.path()
            + " is a field of "
            + place.description
            + " on "
            + describe(only)
            + " only; expected no "
            + name
            + " on "
            + describe(backend)
            + ": remove it, or run this file on the "
            + only.id()
            + " backend");
    return true;
  }

  private static String describe(Backend backend) {
    return backend == Backend.VERTEX ? "Vertex AI" : "the Gemini API";
  }
}
