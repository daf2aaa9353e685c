package io.batchdrop.emulator.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range} of a resumable upload request: {@code bytes a-b/*} (a chunk), {@code
 * bytes a-b/N} (the last chunk), {@code bytes *}{@code /N} (finish at N bytes) or {@code bytes
 * *}{@code /*} (where are we?). Null fields stand for '*'.
 */
record ContentRange(Long first, Long last, Long total) {
  private static final Pattern FORMAT = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

  static ContentRange parse(String header) {
    Matcher m = FORMAT.matcher(header.trim());
    if (!m.matches()) {
      throw ApiException.invalid("Invalid Content-Range: " + header);
    }
    Long first = m.group(1) == null ? null : Long.parseLong(m.group(1));
    Long last = m.group(2) == null ? null : Long.parseLong(m.group(2));
    Long total = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
    if (first != null && last < first) {
      throw ApiException.invalid("Invalid Content-Range: " + header);
    }
    return new ContentRange(first, last, total);
  }

  boolean hasBytes() {
    return first != null;
  }
}
