package io.batchdrop.emulator.storage;

import java.util.regex.Pattern;

/**
 * The {@code matchGlob} of objects.list, as Cloud Storage defines it: {@code *} is any run of
 * characters without '/', {@code **} any run including '/', {@code ?} one character but '/', {@code
 * [abc]}, {@code [a-z]} and {@code [!abc]} character classes, {@code {x,y}} alternatives and a
 * backslash escaping the next character.
 */
final class GlobPattern {
  static final int MAX_LENGTH = 1024;

  private GlobPattern() {}

  static Pattern compile(String glob) {
    if (glob.length() > MAX_LENGTH) {
      throw ApiException.invalid("matchGlob is longer than " + MAX_LENGTH + " characters");
    }
    StringBuilder regex = new StringBuilder();
    int alternatives = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
            i++;
            // "a/**/b" also matches "a/b": the slash after ** is optional with it.
            if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
              i++;
              regex.append("(?:.*/)?");
            } else {
              regex.append(".*");
            }
          } else {
            regex.append("[^/]*");
          }
        }
        case '?' -> regex.append("[^/]");
        case '[' -> i = characterClass(glob, i, regex);
        case '{' -> {
          alternatives++;
          regex.append("(?:");
        }
        case ',' -> regex.append(alternatives > 0 ? "|" : ",");
        case '}' -> {
          if (alternatives == 0) {
            throw invalid(glob, "a '}' without its '{'");
          }
          alternatives--;
          regex.append(')');
        }
        case '\\' -> {
          if (i + 1 == glob.length()) {
            throw invalid(glob, "a trailing backslash");
          }
          regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    if (alternatives != 0) {
      throw invalid(glob, "a '{' without its '}'");
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** Appends the class starting at {@code open} and returns the index of its ']'. */
  private static int characterClass(String glob, int open, StringBuilder regex) {
    int close = glob.indexOf(']', open + 2);
    if (close < 0) {
      throw invalid(glob, "a '[' without its ']'");
    }
    String body = glob.substring(open + 1, close);
    boolean negated = body.startsWith("!");
    if (negated) {
      body = body.substring(1);
    }
    regex.append(negated ? "[^" : "[");
    for (char c : body.toCharArray()) {
      if (c == '-') {
        regex.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        regex.append(c);
      } else {
        regex.append('\\').append(c);
      }
    }
    regex.append(']');
    return close;
  }

  private static ApiException invalid(String glob, String problem) {
    return ApiException.invalid("Invalid matchGlob " + glob + ": " + problem);
  }
}
