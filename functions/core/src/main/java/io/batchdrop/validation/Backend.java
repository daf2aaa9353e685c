package io.batchdrop.validation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The batch service a file is validated for. The request format is shared; the rules differ where
 * the services differ (each {@link Rule} names its backends), and so do the limits of one job.
 */
public enum Backend {
  /**
   * Vertex AI batch prediction: a JSONL file in Cloud Storage, read by a BigQuery-style importer.
   */
  VERTEX("vertex", 200_000, 1_000_000_000L),
  /**
   * The Gemini Developer API's batch mode: a JSONL file uploaded through the Files API (at most 2
   * GB a file); no request count per batch is documented, so Batchdrop keeps Vertex's.
   */
  GEMINI_API("gemini-api", 200_000, 2_000_000_000L);

  private final String id;
  private final long maxJobRows;
  private final long maxJobBytes;

  Backend(String id, long maxJobRows, long maxJobBytes) {
    this.id = id;
    this.maxJobRows = maxJobRows;
    this.maxJobBytes = maxJobBytes;
  }

  /** {@code vertex} or {@code gemini-api}: the value of {@code BATCHDROP_BACKEND}. */
  public String id() {
    return id;
  }

  /** Most requests in one job's input. */
  public long maxJobRows() {
    return maxJobRows;
  }

  /** Most bytes of one job's input file. */
  public long maxJobBytes() {
    return maxJobBytes;
  }

  /** The backend named {@code id} (case and surrounding blanks ignored). */
  public static Backend parse(String id) {
    String name = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
    for (Backend b : values()) {
      if (b.id.equals(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(
        "backend \"" + id + "\" is not known; expected " + ids(" or "));
  }

  /** Every backend's id, joined, e.g. {@code vertex or gemini-api}. */
  public static String ids(String separator) {
    return Arrays.stream(values()).map(Backend::id).collect(Collectors.joining(separator));
  }

  @Override
  public String toString() {
    return id;
  }
}
