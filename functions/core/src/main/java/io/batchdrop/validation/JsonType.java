package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonToken;

/** The JSON types the Vertex importer distinguishes when it unifies fields across lines. */
enum JsonType {
  STRING("a string"),
  NUMBER("a number"),
  BOOLEAN("a boolean"),
  OBJECT("an object"),
  ARRAY("an array");

  private static final JsonType[] BY_ORDINAL = values();

  private final String description;

  JsonType(String description) {
    this.description = description;
  }

  /** "a string", "an object", ... for messages. */
  String description() {
    return description;
  }

  static JsonType byOrdinal(int ordinal) {
    return BY_ORDINAL[ordinal];
  }

  /** The type of a value token; null for null and for tokens that are not values. */
  static JsonType of(JsonToken token) {
    if (token == null) {
      return null;
    }
    return switch (token) {
      case VALUE_STRING -> STRING;
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> NUMBER;
      case VALUE_TRUE, VALUE_FALSE -> BOOLEAN;
      case START_OBJECT -> OBJECT;
      case START_ARRAY -> ARRAY;
      default -> null;
    };
  }

  /** Like {@link #description()} but also for null: what a token "is" in a message. */
  static String describe(JsonToken token) {
    JsonType type = of(token);
    return type != null ? type.description : "null";
  }
}
