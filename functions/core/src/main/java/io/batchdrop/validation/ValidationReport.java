package io.batchdrop.validation;

import java.util.List;

/**
 * Outcome of validating one file.
 *
 * @param rows non-blank lines
 * @param warnings number of WARNING findings
 * @param findings the first {@link #MAX_FINDINGS} findings in file order
 * @param findingsTotal number of all findings, errors and warnings
 */
public record ValidationReport(
    long rows,
    long valid,
    long invalid,
    long warnings,
    long bytesRead,
    List<Finding> findings,
    long findingsTotal) {

  public static final int MAX_FINDINGS = 1000;

  public ValidationReport {
    findings = List.copyOf(findings);
  }
}
