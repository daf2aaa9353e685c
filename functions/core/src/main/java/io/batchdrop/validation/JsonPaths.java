package io.batchdrop.validation;

/**
 * Renders JSON paths the way users read them: {@code request.contents[0].role}, {@code a["first
 * name"]}. Keys and values are user text, so each is cut to {@link Excerpt#MAX_CHARS}.
 */
final class JsonPaths {

  private JsonPaths() {}

  /** Appends {@code .key}, or {@code ["key"]} when the key is not a plain identifier. */
  static void appendKey(StringBuilder sb, String key) {
    String shown = Excerpt.of(key);
    if (isIdentifier(key)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(shown);
      return;
    }
    sb.append("[\"");
    appendEscaped(sb, shown);
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
   * A string value as it may appear in a message: quoted and escaped, and when longer than {@link
   * Excerpt#MAX_CHARS} cut, with its full length after the closing quote: {@code "abc"…(4,096
   * characters)}.
   */
  static String quote(String value) {
    int cut = Excerpt.cutAt(value, Excerpt.MAX_CHARS);
    String kept = cut < 0 ? value : value.substring(0, cut);
    StringBuilder sb = new StringBuilder(kept.length() + 32).append('"');
    appendEscaped(sb, kept);
    sb.append('"');
    if (cut >= 0) {
      sb.append(Excerpt.suffix(value));
    }
    return sb.toString();
  }

  /** A path rendered by a caller, cut to {@link Excerpt#MAX_PATH_CHARS}. */
  static String bounded(CharSequence path) {
    return Excerpt.of(path.toString(), Excerpt.MAX_PATH_CHARS);
  }

  private static void appendEscaped(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
  }
}
