package io.batchdrop.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The outcome of validating an in-memory file, with every row the listener saw, for assertions. */
record Validated(ValidationReport report, List<Row> rows) {

  /** One row as delivered to the listener. */
  record Row(long row, String key, boolean valid, List<Finding> findings, byte[] bytes) {
    String text() {
      return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
  }

  static Validated of(String file) {
    return of(ValidatorConfig.defaults(), file.getBytes(StandardCharsets.UTF_8));
  }

  static Validated of(ValidatorConfig config, String file) {
    return of(config, file.getBytes(StandardCharsets.UTF_8));
  }

  static Validated of(ValidatorConfig config, byte[] file) {
    List<Row> rows = new ArrayList<>();
    LineListener listener =
        new LineListener() {
          @Override
          public void onValidLine(ValidLine line) {
            byte[] copy = new byte[line.length()];
            System.arraycopy(line.buffer(), line.offset(), copy, 0, line.length());
            rows.add(new Row(line.row(), line.key(), true, line.warnings(), copy));
          }

          @Override
          public void onInvalidLine(InvalidLine line) {
            rows.add(new Row(line.row(), line.key(), false, line.findings(), line.raw()));
          }
        };
    try {
      ValidationReport report =
          new RequestValidator(config).validate(new ByteArrayInputStream(file), listener);
      return new Validated(report, rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Finding> findings(String code) {
    return report.findings().stream().filter(f -> f.code().equals(code)).toList();
  }

  List<String> codes() {
    return report.findings().stream().map(Finding::code).toList();
  }

  Row row(long n) {
    return rows.stream()
        .filter(r -> r.row() == n)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row " + n + " in " + rows));
  }
}
