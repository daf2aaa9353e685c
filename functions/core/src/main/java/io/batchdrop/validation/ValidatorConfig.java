package io.batchdrop.validation;

import java.util.Set;

/**
 * Settings of the {@link RequestValidator}.
 *
 * @param maxLineBytes longest line accepted, in bytes, without its line terminator
 * @param allowedFileBuckets buckets that {@code fileData.fileUri} may point into; empty = any
 *     bucket
 */
public record ValidatorConfig(int maxLineBytes, Set<String> allowedFileBuckets) {

  public static final int DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;

  /** Leaves head room in a Java array for the read-ahead the line splitter needs. */
  static final int MAX_LINE_BYTES_LIMIT = Integer.MAX_VALUE - (1 << 20);

  public ValidatorConfig {
    if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxLineBytes must be between 1 and " + MAX_LINE_BYTES_LIMIT + ", got " + maxLineBytes);
    }
    allowedFileBuckets = allowedFileBuckets == null ? Set.of() : Set.copyOf(allowedFileBuckets);
  }

  public static ValidatorConfig defaults() {
    return new ValidatorConfig(DEFAULT_MAX_LINE_BYTES, Set.of());
  }

  public ValidatorConfig withMaxLineBytes(int n) {
    return new ValidatorConfig(n, allowedFileBuckets);
  }

  public ValidatorConfig withAllowedFileBuckets(Set<String> buckets) {
    return new ValidatorConfig(maxLineBytes, buckets);
  }
}
