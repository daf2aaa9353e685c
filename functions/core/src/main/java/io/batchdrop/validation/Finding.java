package io.batchdrop.validation;

import java.util.Objects;

/**
 * One problem found in the input.
 *
 * @param line 1-based physical line number in the file
 * @param column 1-based byte column within the line, 0 when unknown
 * @param code stable kebab-case rule code, see {@link Rule}
 * @param path JSON path such as {@code request.contents[0].role}; "" for the whole line
 * @param message what was found and what was expected
 */
public record Finding(
    long line, int column, String code, String path, String message, Severity severity) {
  public Finding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(severity, "severity");
  }
}
