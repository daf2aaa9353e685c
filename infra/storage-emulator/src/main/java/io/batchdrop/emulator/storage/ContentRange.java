package io.batchdrop.emulator.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of a resumable upload request: {@code bytes a-b/*} (a chunk), {@code
 * bytes a-b/N} (the last chunk), {@code bytes a-*}{@code /N} or {@code bytes a-*}{@code /*} (the
 * rest from byte a, however long the body is: the upload ends with it; the Node client's default),
 * {@code bytes *}{@code /N} (finish at N bytes) or {@code bytes *}{@code /*} (where are we?). Null
 * fields stand for '*'.
 */
record ContentRange(Long first, Long last, Long total, boolean openEnded) {
  private static final Pattern FORMAT =
      Pattern.compile("bytes (?:(\\d{1,18})-(\\d{1,18}|\\*)|\\*)/(\\d{1,18}|\\*)");

  static ContentRange parse(String header) {
    Matcher m = FORMAT.matcher(header.trim());
    if (!m.matches()) {
      throw ApiException.invalid(
          "Invalid Content-Range: "
              + header
              + " (expected bytes FIRST-LAST/TOTAL, bytes FIRST-*/TOTAL or bytes */TOTAL, with *"
              + " for an unknown total)");
    }
    Long first = m.group(1) == null ? null : Long.parseLong(m.group(1));
    boolean openEnded = "*".equals(m.group(2));
    Long last = m.group(2) == null || openEnded ? null : Long.parseLong(m.group(2));
    Long total = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
    if (last != null && last < first) {
      throw ApiException.invalid("Invalid Content-Range: " + header);
    }
    return new ContentRange(first, last, total, openEnded);
  }

  boolean hasBytes() {
    return first != null;
  }
}
