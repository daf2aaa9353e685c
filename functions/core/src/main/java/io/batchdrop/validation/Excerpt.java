package io.batchdrop.validation;

import java.util.Locale;

/**
 * User-supplied text (a key name, a value, a path made of them) cut to a length fit for a finding.
 * Findings end up in Firestore documents and Pub/Sub messages with hard size limits, so no user
 * text goes into one whole. The cut falls on a code point boundary, so the result is still valid
 * UTF-8, and says how long the original was: {@code abc…(4,096 characters)}.
 */
final class Excerpt {

  /** Characters kept of a name or a value. */
  static final int MAX_CHARS = 64;

  /** Characters kept of a path, which is made of several names. */
  static final int MAX_PATH_CHARS = 512;

  private Excerpt() {}

  static String of(String text) {
    return of(text, MAX_CHARS);
  }

  /** {@code text} when it has at most {@code max} characters (code points), else its cut form. */
  static String of(String text, int max) {
    int cut = cutAt(text, max);
    return cut < 0 ? text : text.substring(0, cut) + suffix(text);
  }

  /**
   * Where {@code text} is cut to keep {@code max} code points, or -1 when it is short enough. The
   * index never splits a surrogate pair.
   */
  static int cutAt(String text, int max) {
    if (text.length() <= max || text.codePointCount(0, text.length()) <= max) {
      return -1;
    }
    return text.offsetByCodePoints(0, max);
  }

  /** What replaces the cut end of {@code text}: {@code …(4,096 characters)}. */
  static String suffix(String text) {
    return String.format(
        Locale.ROOT, "\u2026(%,d characters)", text.codePointCount(0, text.length()));
  }
}
