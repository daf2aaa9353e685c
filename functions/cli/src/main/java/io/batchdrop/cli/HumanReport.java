package io.batchdrop.cli;

import io.batchdrop.validation.Finding;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.Verdict;
import java.io.PrintStream;
import java.util.List;

/**
 * The report for a person:
 *
 * <pre>
 * rows: 120, valid: 117, invalid: 3, warnings: 1
 * 12:48 role.invalid contents[0].role is "tester"; expected "user" or "model"
 * 40 blank_line blank line ignored
 * … and 3 more
 * rejected: strict policy: 3 of 120 rows are invalid
 * </pre>
 *
 * A finding reads {@code line:column code message}; the column is left out when unknown.
 */
final class HumanReport {
  static final int FINDINGS_SHOWN = 20;

  private final PrintStream out;

  HumanReport(PrintStream out) {
    this.out = out;
  }

  void print(ValidationReport report, Verdict verdict) {
    out.printf(
        "rows: %d, valid: %d, invalid: %d, warnings: %d%n",
        report.rows(), report.valid(), report.invalid(), report.warnings());
    List<Finding> findings = report.findings();
    int shown = Math.min(FINDINGS_SHOWN, findings.size());
    for (Finding finding : findings.subList(0, shown)) {
      out.println(format(finding));
    }
    if (report.findingsTotal() > shown) {
      out.println("… and " + (report.findingsTotal() - shown) + " more");
    }
    out.println(verdict(verdict));
  }

  static String format(Finding finding) {
    String where =
        finding.column() > 0
            ? finding.line() + ":" + finding.column()
            : Long.toString(finding.line());
    return where + " " + finding.code() + " " + finding.message();
  }

  private static String verdict(Verdict verdict) {
    String reason =
        verdict.reason() == null || verdict.reason().isBlank() ? "" : ": " + verdict.reason();
    return (verdict.accepted() ? "accepted" : "rejected") + reason;
  }
}
