package io.batchdrop.publish;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Text made safe for the report page. Everything that comes from a user or a service (keys, error
 * messages, object names, states) goes through {@link #text}, in element content and in quoted
 * attributes alike; the page is also well-formed XML, so only the five XML escapes are used.
 */
final class Html {
  private Html() {}

  static String text(Object value) {
    String s = value == null ? "" : value.toString();
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          // Control characters other than tab and newline are not allowed in XML 1.0 at all.
          if (c < 0x20 && c != '\t' && c != '\n') {
            out.append('\uFFFD');
          } else if (Character.isSurrogate(c) && !pairedAt(s, i)) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** One path segment or query value of a URL we build. */
  static String urlPart(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** An object path in a console URL: every segment encoded, the slashes kept. */
  static String urlPath(String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(urlPart(segment));
    }
    return out.toString();
  }

  private static boolean pairedAt(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
