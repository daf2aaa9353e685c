package io.batchdrop.emulator.storage;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Range: bytes=...} request header: {@code a-b}, {@code a-} or the suffix form {@code -n}.
 * Only single ranges, which is all the clients send.
 */
record ByteRange(Long first, Long last, Long suffixLength) {
  private static final Pattern SPEC = Pattern.compile("bytes=(\\d*)-(\\d*)");

  /** Returns null when there is no header or it is not a single byte range (then: whole object). */
  static ByteRange parse(String header) {
    if (header == null) {
      return null;
    }
    Matcher m = SPEC.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    if (m.group(1).isEmpty()) {
      return new ByteRange(null, null, Long.parseLong(m.group(2)));
    }
    Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
    long first = Long.parseLong(m.group(1));
    if (last != null && last < first) {
      return null;
    }
    return new ByteRange(first, last, null);
  }

  /** The inclusive byte positions served from an object of {@code size} bytes, or a 416. */
  Resolved resolve(long size) {
    if (suffixLength != null) {
      long length = Math.min(suffixLength, size);
      return new Resolved(size - length, size - 1, size);
    }
    if (first >= size) {
      throw ApiException.rangeNotSatisfiable(
          "The requested range cannot be satisfied: bytes=" + first + "- of " + size + " bytes");
    }
    long end = last == null ? size - 1 : Math.min(last, size - 1);
    return new Resolved(first, end, size);
  }

  /** A satisfiable range within an object. */
  record Resolved(long first, long last, long size) {
    long length() {
      return last - first + 1;
    }

    String contentRange() {
      return "bytes " + first + "-" + last + "/" + size;
    }
  }
}
