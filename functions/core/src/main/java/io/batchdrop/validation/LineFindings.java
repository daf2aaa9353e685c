package io.batchdrop.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * The findings of the line being checked. Keeps at most {@link #MAX_PER_SEVERITY} errors and as
 * many warnings, so one pathological line cannot use unbounded memory; the rest are only counted. A
 * finding of a rule that is not the file's backend's is dropped here: the line-wide walk applies
 * the Vertex importer's rules in the same pass whatever the backend (one walk, no second code path
 * in the parsing loop), and only here is it decided whether they count.
 */
final class LineFindings {

  static final int MAX_PER_SEVERITY = 100;

  private final Backend backend;
  private final List<Finding> kept = new ArrayList<>();
  private long line;
  private int errors;
  private int warnings;
  private int singleObjectParts;
  private int markedKept;
  private int markedErrors;
  private int markedWarnings;
  private int markedSingleObjectParts;

  LineFindings(Backend backend) {
    this.backend = backend;
  }

  void reset(long lineNumber) {
    kept.clear();
    line = lineNumber;
    errors = 0;
    warnings = 0;
    singleObjectParts = 0;
  }

  long line() {
    return line;
  }

  /** Remembers what the line has so far, for {@link #rollBackToMark}. */
  void mark() {
    markedKept = kept.size();
    markedErrors = errors;
    markedWarnings = warnings;
    markedSingleObjectParts = singleObjectParts;
  }

  /** Forgets the findings added since {@link #mark}: the line is about to be checked again. */
  void rollBackToMark() {
    kept.subList(markedKept, kept.size()).clear();
    errors = markedErrors;
    warnings = markedWarnings;
    singleObjectParts = markedSingleObjectParts;
  }

  void add(Rule rule, int column, String path, String message) {
    if (!rule.appliesTo(backend)) {
      return;
    }
    if (rule == Rule.PARTS_OBJECT) {
      singleObjectParts++;
    }
    boolean error = rule.severity() == Severity.ERROR;
    int count = error ? errors++ : warnings++;
    if (count < MAX_PER_SEVERITY) {
      kept.add(rule.at(line, column, path, message));
    }
  }

  /**
   * Takes back the line's finding of {@code rule} at {@code column} (one that was added): a more
   * precise finding about the same mistake replaces it.
   */
  void withdraw(Rule rule, int column) {
    if (!rule.appliesTo(backend)) {
      return;
    }
    if (rule.severity() == Severity.ERROR) {
      errors--;
    } else {
      warnings--;
    }
    for (int i = kept.size() - 1; i >= 0; i--) {
      Finding f = kept.get(i);
      if (f.column() == column && f.code().equals(rule.code())) {
        kept.remove(i);
        return;
      }
    }
  }

  /**
   * How many {@code parts} of this line are a single object, counted beyond the cap too: staging
   * wraps each in an array, so each makes the staged line longer than the uploaded one.
   */
  int singleObjectParts() {
    return singleObjectParts;
  }

  boolean hasErrors() {
    return errors > 0;
  }

  /** Findings of this line, including those beyond the cap that were only counted. */
  long total() {
    return (long) errors + warnings;
  }

  /** Warnings of this line, including those beyond the cap that were only counted. */
  long warningCount() {
    return warnings;
  }

  List<Finding> kept() {
    return kept;
  }

  List<Finding> snapshot() {
    return kept.isEmpty() ? List.of() : List.copyOf(kept);
  }

  List<Finding> warningsSnapshot() {
    if (warnings == 0) {
      return List.of();
    }
    List<Finding> result = new ArrayList<>(Math.min(warnings, MAX_PER_SEVERITY));
    for (Finding f : kept) {
      if (f.severity() == Severity.WARNING) {
        result.add(f);
      }
    }
    return List.copyOf(result);
  }
}
