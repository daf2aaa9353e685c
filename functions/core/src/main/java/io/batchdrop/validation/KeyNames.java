package io.batchdrop.validation;

/**
 * Which importer rules an object key breaks, as bit flags, so each distinct key is inspected once.
 */
final class KeyNames {

  static final int DOLLAR = 1;
  static final int WHITESPACE = 2;

  /** Any character outside [A-Za-z0-9_], or an empty key: not a BigQuery column name. */
  static final int NOT_COLUMN_NAME = 4;

  private KeyNames() {}

  static int flags(String name) {
    if (name.isEmpty()) {
      return NOT_COLUMN_NAME;
    }
    int flags = name.charAt(0) == '$' ? DOLLAR : 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean columnChar =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      if (!columnChar) {
        flags |= NOT_COLUMN_NAME;
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          flags |= WHITESPACE;
        }
      }
    }
    return flags;
  }
}
