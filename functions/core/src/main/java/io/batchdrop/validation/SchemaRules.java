package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;

import java.io.IOException;

/**
 * A typed schema: {@code generationConfig.responseSchema} or a function declaration's {@code
 * parameters} or {@code response}, the proto {@code Schema} message (an OpenAPI subset). Each of
 * its fields may be given once, in either spelling; each key of its {@code properties} and {@code
 * defs} maps once; and its free-form members ({@code default}, {@code example}, {@code
 * additionalProperties}, each a {@code google.protobuf.Value}) are JSON-schema values, every key
 * once as written. Protobuf's JSON parser refuses the line otherwise. A member Schema does not have
 * is skipped by protobuf, so nothing inside it is checked for repeats. Everything else is left to
 * the line-wide rules, with schema keys.
 */
final class SchemaRules {

  // A bit per Schema field, for LineCursor.knownField.
  private static final long TYPE = 1;
  private static final long FORMAT = 1L << 1;
  private static final long TITLE = 1L << 2;
  private static final long DESCRIPTION = 1L << 3;
  private static final long NULLABLE = 1L << 4;
  private static final long DEFAULT = 1L << 5;
  private static final long ITEMS = 1L << 6;
  private static final long MIN_ITEMS = 1L << 7;
  private static final long MAX_ITEMS = 1L << 8;
  private static final long ENUM = 1L << 9;
  private static final long PROPERTIES = 1L << 10;
  private static final long PROPERTY_ORDERING = 1L << 11;
  private static final long REQUIRED = 1L << 12;
  private static final long MIN_PROPERTIES = 1L << 13;
  private static final long MAX_PROPERTIES = 1L << 14;
  private static final long MINIMUM = 1L << 15;
  private static final long MAXIMUM = 1L << 16;
  private static final long MIN_LENGTH = 1L << 17;
  private static final long MAX_LENGTH = 1L << 18;
  private static final long PATTERN = 1L << 19;
  private static final long EXAMPLE = 1L << 20;
  private static final long ANY_OF = 1L << 21;
  private static final long ADDITIONAL_PROPERTIES = 1L << 22;
  private static final long REF = 1L << 23;
  private static final long DEFS = 1L << 24;

  private final LineCursor c;

  SchemaRules(LineCursor cursor) {
    this.c = cursor;
  }

  /** The schema at the current value, its type recorded. */
  void schema() throws IOException {
    if (c.token() != START_OBJECT) {
      c.walk(true);
      return;
    }
    c.beginObject(false);
    long seen = 0;
    String name;
    while ((name = c.nextName(true)) != null) {
      long bit = field(name);
      seen = c.knownField(seen, bit);
      c.value();
      if (bit == PROPERTIES || bit == DEFS) {
        schemaMap();
      } else if (bit == ITEMS) {
        schema();
      } else if (bit == ANY_OF) {
        schemaList();
      } else if (bit == 0) {
        c.walkSkippedSchemaMember();
      } else {
        // default, example and additionalProperties are JSON values: walk(true) checks their keys.
        c.walk(true);
      }
      c.endMember();
    }
  }

  /** properties or defs: a map of names to schemas. */
  private void schemaMap() throws IOException {
    if (c.token() != START_OBJECT) {
      c.walk(true);
      return;
    }
    c.beginObject(false);
    c.checkMemberNames();
    while (c.nextName(true) != null) {
      c.value();
      schema();
      c.endMember();
    }
  }

  /** anyOf: a list of schemas. */
  private void schemaList() throws IOException {
    if (c.token() != START_ARRAY) {
      c.walk(true);
      return;
    }
    for (int i = 0; c.nextElement(i); i++) {
      schema();
      c.endElement();
    }
  }

  /** The field's bit; 0 for a name Schema does not have, which protobuf skips. */
  private static long field(String name) {
    return switch (name) {
      case "type" -> TYPE;
      case "format" -> FORMAT;
      case "title" -> TITLE;
      case "description" -> DESCRIPTION;
      case "nullable" -> NULLABLE;
      case "default" -> DEFAULT;
      case "items" -> ITEMS;
      case "minItems", "min_items" -> MIN_ITEMS;
      case "maxItems", "max_items" -> MAX_ITEMS;
      case "enum" -> ENUM;
      case "properties" -> PROPERTIES;
      case "propertyOrdering", "property_ordering" -> PROPERTY_ORDERING;
      case "required" -> REQUIRED;
      case "minProperties", "min_properties" -> MIN_PROPERTIES;
      case "maxProperties", "max_properties" -> MAX_PROPERTIES;
      case "minimum" -> MINIMUM;
      case "maximum" -> MAXIMUM;
      case "minLength", "min_length" -> MIN_LENGTH;
      case "maxLength", "max_length" -> MAX_LENGTH;
      case "pattern" -> PATTERN;
      case "example" -> EXAMPLE;
      case "anyOf", "any_of" -> ANY_OF;
      case "additionalProperties", "additional_properties" -> ADDITIONAL_PROPERTIES;
      case "ref" -> REF;
      case "defs" -> DEFS;
      default -> 0;
    };
  }
}
