package io.batchdrop.validation;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the {@link RequestValidator}.
 *
 * @param maxLineBytes longest line accepted, in bytes, without its line terminator
 * @param allowedFileBuckets buckets that {@code fileData.fileUri} may point into; empty = any
 *     bucket
 * @param deniedFileBuckets buckets it may never point into, allow-list or not, each with what it
 *     holds for the finding: Batchdrop's inbox (every user's uploads) and work bucket (every run's
 *     staged input and output, which the batch service can read)
 * @param backend the batch service the file is for: rules of other backends are not applied
 * @param model the model the rows will run on, or null when not known (a generation model is
 *     assumed): an embedding model takes embedding requests
 */
public record ValidatorConfig(
    int maxLineBytes,
    Set<String> allowedFileBuckets,
    Map<String, String> deniedFileBuckets,
    Backend backend,
    String model) {

  public static final int DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;

  /** Leaves head room in a Java array for the read-ahead the line splitter needs. */
  static final int MAX_LINE_BYTES_LIMIT = Integer.MAX_VALUE - (1 << 20);

  public ValidatorConfig {
    if (maxLineBytes < 1 || maxLineBytes > MAX_LINE_BYTES_LIMIT) {
      throw new IllegalArgumentException(
          "maxLineBytes must be between 1 and " + MAX_LINE_BYTES_LIMIT + ", got " + maxLineBytes);
    }
    allowedFileBuckets = allowedFileBuckets == null ? Set.of() : Set.copyOf(allowedFileBuckets);
    deniedFileBuckets = deniedFileBuckets == null ? Map.of() : Map.copyOf(deniedFileBuckets);
    Objects.requireNonNull(backend, "backend");
  }

  /** Vertex, the default model kind (generation), no bucket allow-list, 10 MiB lines. */
  public static ValidatorConfig defaults() {
    return new ValidatorConfig(DEFAULT_MAX_LINE_BYTES, Set.of(), Map.of(), Backend.VERTEX, null);
  }

  public ValidatorConfig withMaxLineBytes(int n) {
    return new ValidatorConfig(n, allowedFileBuckets, deniedFileBuckets, backend, model);
  }

  public ValidatorConfig withAllowedFileBuckets(Set<String> buckets) {
    return new ValidatorConfig(maxLineBytes, buckets, deniedFileBuckets, backend, model);
  }

  /** Buckets a row may never name, each with what it holds ("work bucket (…)"). */
  public ValidatorConfig withDeniedFileBuckets(Map<String, String> buckets) {
    return new ValidatorConfig(maxLineBytes, allowedFileBuckets, buckets, backend, model);
  }

  /** The rows are embedding requests: the model is an embedding model. */
  public boolean embeddings() {
    return ModelKinds.isEmbedding(model);
  }

  public ValidatorConfig withBackend(Backend b) {
    return new ValidatorConfig(maxLineBytes, allowedFileBuckets, deniedFileBuckets, b, model);
  }

  public ValidatorConfig withModel(String m) {
    return new ValidatorConfig(maxLineBytes, allowedFileBuckets, deniedFileBuckets, backend, m);
  }
}
