package io.batchdrop.validation;

/**
 * Thrown by {@link LineCursor} when a parser reading several lines reaches a token beyond the line
 * being checked: the line's own value is unfinished at its end, which only a parser that sees the
 * line alone describes as the finding it is. Carries no stack trace: it is control flow, caught by
 * {@link LineChecker} right above.
 */
final class LineOverrun extends RuntimeException {

  static final LineOverrun INSTANCE = new LineOverrun();

  private static final long serialVersionUID = 1L;

  private LineOverrun() {
    super("a token beyond the line's end", null, false, false);
  }
}
