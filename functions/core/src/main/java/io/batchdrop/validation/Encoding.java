package io.batchdrop.validation;

import java.util.Locale;

/**
 * Tells a file that is not UTF-8 at all (UTF-16 or UTF-32, with or without a byte order mark) by
 * its first bytes or by a NUL, and says so in one finding: such a file is rejected as a whole,
 * since reading it line by line as UTF-8 would only produce one confusing finding per line (or,
 * with a parser that guesses encodings, rows that are not in the file).
 */
final class Encoding {

  /** Bytes {@link #byteOrderMark} needs to see. */
  static final int SNIFF_BYTES = 4;

  private static final String EXPECTED =
      "; expected UTF-8 text: save the file as UTF-8 (the file is rejected whatever the policy)";

  private Encoding() {}

  /**
   * The finding for a UTF-16 or UTF-32 byte order mark at the start of {@code head} (the file's
   * first {@code n} bytes), or null when there is none.
   */
  static Finding byteOrderMark(byte[] head, int n) {
    String name = bomEncoding(head, n);
    if (name == null) {
      return null;
    }
    return Rule.FILE_NOT_UTF8.at(
        1, 1, "", "the file starts with a " + name + " byte order mark" + EXPECTED);
  }

  private static String bomEncoding(byte[] b, int n) {
    int b0 = n > 0 ? b[0] & 0xFF : -1;
    int b1 = n > 1 ? b[1] & 0xFF : -1;
    boolean zeroZero = n > 3 && b[2] == 0 && b[3] == 0;
    if (n > 3 && b0 == 0 && b1 == 0 && (b[2] & 0xFF) == 0xFE && (b[3] & 0xFF) == 0xFF) {
      return "UTF-32 BE";
    }
    if (b0 == 0xFF && b1 == 0xFE) {
      return zeroZero ? "UTF-32 LE" : "UTF-16 LE";
    }
    if (b0 == 0xFE && b1 == 0xFF) {
      return "UTF-16 BE";
    }
    return null;
  }

  /**
   * The finding for a NUL at {@code b[nul]} in the line {@code b[off, off + len)}, naming the
   * encoding the NULs suggest: every other byte NUL is UTF-16, three of four UTF-32. The byte order
   * is only named on line 1, which starts where the file does; later lines start wherever the
   * previous LF byte fell.
   */
  static Finding nul(byte[] b, int off, int len, int nul, long line) {
    int[] zerosAt = new int[4];
    int sample = Math.min(len, 4096);
    for (int i = 0; i < sample; i++) {
      if (b[off + i] == 0) {
        zerosAt[i & 3]++;
      }
    }
    Guess guess = guess(zerosAt, sample);
    String looksLike = guess == null ? null : guess.family + (line == 1 ? " " + guess.order : "");
    int column = nul - off + 1;
    String where = String.format(Locale.ROOT, "byte %d of line %d is a NUL (0x00)", column, line);
    String message =
        looksLike != null
            ? where
                + " and so is every other byte around it: the file looks like "
                + looksLike
                + " text without a byte order mark"
                + EXPECTED
            : where + ", which UTF-8 text never holds (is it a binary file?)" + EXPECTED;
    return Rule.FILE_NOT_UTF8.at(line, column, "", message);
  }

  /**
   * UTF-16 LE and the like from where NULs fall in a sample, or null when they follow no pattern.
   * ASCII text in UTF-16 LE has a NUL at every odd offset, in UTF-32 LE at offsets 1, 2 and 3 of
   * every four (BE mirrors both); text beyond ASCII blurs this, hence the margins.
   */
  private record Guess(String family, String order) {}

  private static Guess guess(int[] zerosAt, int sample) {
    int quarter = sample / 4;
    if (quarter < 2) {
      return null;
    }
    boolean[] full = new boolean[4];
    for (int k = 0; k < 4; k++) {
      full[k] = zerosAt[k] * 10 >= quarter * 9;
    }
    if (full[1] && full[2] && full[3] && !full[0]) {
      return new Guess("UTF-32", "LE");
    }
    if (full[0] && full[1] && full[2] && !full[3]) {
      return new Guess("UTF-32", "BE");
    }
    int even = zerosAt[0] + zerosAt[2];
    int odd = zerosAt[1] + zerosAt[3];
    if (odd * 2 >= quarter && even * 10 <= odd) {
      return new Guess("UTF-16", "LE");
    }
    if (even * 2 >= quarter && odd * 10 <= even) {
      return new Guess("UTF-16", "BE");
    }
    return null;
  }
}
