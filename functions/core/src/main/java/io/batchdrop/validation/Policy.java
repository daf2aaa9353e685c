package io.batchdrop.validation;

import java.util.Locale;

/** How invalid rows affect the whole file. */
public enum Policy {
  /** Invalid rows are set aside; the file is rejected only above an invalid-row ratio. */
  LENIENT,
  /** Any invalid row rejects the file. */
  STRICT;

  /** Parses "lenient" or "strict", ignoring case and surrounding blanks. */
  public static Policy parse(String s) {
    String name = s == null ? "" : s.trim().toUpperCase(Locale.ROOT);
    for (Policy p : values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown policy \"" + s + "\"; expected \"lenient\" or \"strict\"");
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
