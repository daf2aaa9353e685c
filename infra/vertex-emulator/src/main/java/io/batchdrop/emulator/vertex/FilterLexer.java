package io.batchdrop.emulator.vertex;

import java.util.ArrayList;
import java.util.List;

/** Splits a list filter (AIP-160 subset) into tokens. */
final class FilterLexer {

  enum Kind {
    WORD,
    STRING,
    OPERATOR,
    OPEN,
    CLOSE,
    END
  }

  record Token(Kind kind, String text, int position) {
    boolean isKeyword(String keyword) {
      return kind == Kind.WORD && text.equals(keyword);
    }
  }

  private static final String SPECIAL = "()=!<>:\"";

  private FilterLexer() {}

  static List<Token> tokens(String filter) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < filter.length()) {
      char c = filter.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        tokens.add(new Token(c == '(' ? Kind.OPEN : Kind.CLOSE, String.valueOf(c), i));
        i++;
      } else if (c == '"') {
        i = quoted(filter, i, tokens);
      } else if ("=!<>:".indexOf(c) >= 0) {
        i = operator(filter, i, tokens);
      } else {
        int start = i;
        while (i < filter.length()
            && !Character.isWhitespace(filter.charAt(i))
            && SPECIAL.indexOf(filter.charAt(i)) < 0) {
          i++;
        }
        tokens.add(new Token(Kind.WORD, filter.substring(start, i), start));
      }
    }
    tokens.add(new Token(Kind.END, "", filter.length()));
    return tokens;
  }

  private static int quoted(String filter, int start, List<Token> tokens) {
    StringBuilder text = new StringBuilder();
    int i = start + 1;
    while (i < filter.length() && filter.charAt(i) != '"') {
      if (filter.charAt(i) == '\\' && i + 1 < filter.length()) {
        i++;
      }
      text.append(filter.charAt(i++));
    }
    if (i >= filter.length()) {
      throw FilterParser.invalid("unterminated string starting at position " + start);
    }
    tokens.add(new Token(Kind.STRING, text.toString(), start));
    return i + 1;
  }

  private static int operator(String filter, int start, List<Token> tokens) {
    String two = filter.length() >= start + 2 ? filter.substring(start, start + 2) : "";
    if (two.equals("!=") || two.equals("<=") || two.equals(">=")) {
      tokens.add(new Token(Kind.OPERATOR, two, start));
      return start + 2;
    }
    char c = filter.charAt(start);
    if (c == '!') {
      throw FilterParser.invalid("unexpected '!' at position " + start);
    }
    tokens.add(new Token(Kind.OPERATOR, String.valueOf(c), start));
    return start + 1;
  }
}
