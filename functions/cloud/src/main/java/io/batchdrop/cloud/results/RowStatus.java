package io.batchdrop.cloud.results;

import java.util.Locale;

/** The one terminal outcome of an input row (design §5). */
public enum RowStatus {
  SUCCEEDED,
  FAILED,
  INVALID,
  MISSING;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
