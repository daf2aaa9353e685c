package io.batchdrop.validation;

/**
 * Renders JSON paths the way users read them: {@code request.contents[0].role}, {@code a["first
 * name"]}.
 */
final class JsonPaths {

  private JsonPaths() {}

  /** Appends {@code .key}, or {@code ["key"]} when the key is not a plain identifier. */
  static void appendKey(StringBuilder sb, String key) {
    if (isIdentifier(key)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(key);
      return;
    }
    sb.append("[\"");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append("\"]");
  }

  private static boolean isIdentifier(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || c == '$'
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A string value as it may appear in a message: quoted, escaped, cut after a few dozen
   * characters.
   */
  static String quote(String value) {
    int max = 60;
    StringBuilder sb = new StringBuilder(Math.min(value.length(), max) + 8).append('"');
    int n = Math.min(value.length(), max);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (value.length() > max) {
      sb.append("...");
    }
    return sb.append('"').toString();
  }
}
