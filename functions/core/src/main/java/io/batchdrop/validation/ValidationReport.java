package io.batchdrop.validation;

import java.util.List;

/**
 * Outcome of validating one file.
 *
 * @param rows non-blank lines
 * @param warnings number of WARNING findings
 * @param findings the first {@link #MAX_FINDINGS} findings in file order
 * @param findingsTotal number of all findings, errors and warnings
 * @param rejection a finding that rejects the whole file whatever the policy ({@code
 *     file-not-utf8}), also the last of {@code findings}; null when there is none. Reading stops at
 *     it, so the counts cover only the lines before it.
 */
public record ValidationReport(
    long rows,
    long valid,
    long invalid,
    long warnings,
    long bytesRead,
    List<Finding> findings,
    long findingsTotal,
    Finding rejection) {

  public static final int MAX_FINDINGS = 1000;

  public ValidationReport {
    findings = List.copyOf(findings);
  }

  /** A report without a file-level rejection. */
  public ValidationReport(
      long rows,
      long valid,
      long invalid,
      long warnings,
      long bytesRead,
      List<Finding> findings,
      long findingsTotal) {
    this(rows, valid, invalid, warnings, bytesRead, findings, findingsTotal, null);
  }
}
