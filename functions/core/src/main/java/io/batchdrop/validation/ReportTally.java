package io.batchdrop.validation;

import java.util.ArrayList;
import java.util.List;

/** Counts rows and findings of a file and keeps the first {@link ValidationReport#MAX_FINDINGS}. */
final class ReportTally {

  private final List<Finding> firstFindings = new ArrayList<>();
  private long valid;
  private long invalid;
  private long warnings;
  private long findingsTotal;
  private Finding rejection;

  void validRow(LineFindings line) {
    valid++;
    add(line);
  }

  void invalidRow(LineFindings line) {
    invalid++;
    add(line);
  }

  /** A line that is not a row (blank). */
  void notARow(LineFindings line) {
    add(line);
  }

  /** A finding that rejects the whole file; it is kept even when the first findings are full. */
  void rejectFile(Finding finding) {
    rejection = finding;
    if (firstFindings.size() == ValidationReport.MAX_FINDINGS) {
      firstFindings.remove(firstFindings.size() - 1);
    }
    firstFindings.add(finding);
    findingsTotal++;
  }

  private void add(LineFindings line) {
    // Indexed: called for every row, and most rows have no findings to iterate.
    List<Finding> kept = line.kept();
    for (int i = 0; i < kept.size() && firstFindings.size() < ValidationReport.MAX_FINDINGS; i++) {
      firstFindings.add(kept.get(i));
    }
    findingsTotal += line.total();
    warnings += line.warningCount();
  }

  ValidationReport report(long bytesRead) {
    return new ValidationReport(
        valid + invalid,
        valid,
        invalid,
        warnings,
        bytesRead,
        firstFindings,
        findingsTotal,
        rejection);
  }
}
