package io.batchdrop.validation;

/** How bad a finding is: an ERROR makes its row invalid, a WARNING does not. */
public enum Severity {
  ERROR,
  WARNING;

  /** The lowercase word used in reports and JSON output: "error" or "warning". */
  public String label() {
    return this == ERROR ? "error" : "warning";
  }
}
