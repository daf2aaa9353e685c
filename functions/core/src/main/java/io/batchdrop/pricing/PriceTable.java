package io.batchdrop.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Model prices of one backend, read from JSON: the built-in {@code prices.json} beside this class,
 * or a deployment's own file of the same shape. A model not in the table has no price and no cost:
 * never a guess. Immutable and thread-safe.
 */
public final class PriceTable {
  /** The backend Batchdrop submits to. */
  public static final String DEFAULT_BACKEND = "vertex";

  /** A price table is a few kilobytes; anything far larger is not one. */
  static final int MAX_BYTES = 1 << 20;

  private static final String BUILT_IN = "prices.json";

  private final String backend;
  private final Map<String, ModelPrice> models;

  PriceTable(String backend, Map<String, ModelPrice> models) {
    this.backend = backend;
    this.models = Map.copyOf(models);
  }

  /** The table shipped with Batchdrop, for the {@value #DEFAULT_BACKEND} backend. */
  public static PriceTable builtIn() {
    try (InputStream in = PriceTable.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new IllegalStateException(BUILT_IN + " is missing beside " + PriceTable.class);
      }
      return parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("the built-in price table is broken: " + e.getMessage(), e);
    }
  }

  /** Reads the {@value #DEFAULT_BACKEND} backend of a table; the caller closes the stream. */
  public static PriceTable parse(InputStream in) throws IOException {
    return parse(in, DEFAULT_BACKEND);
  }

  /** Reads one backend of a table (e.g. "vertex"); the caller closes the stream. */
  public static PriceTable parse(InputStream in, String backend) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(backend, "backend");
    return new PriceTable(backend, PriceTableParser.parse(in, backend));
  }

  public String backend() {
    return backend;
  }

  /** The models that have a price, in name order. */
  public SortedSet<String> models() {
    return new TreeSet<>(models.keySet());
  }

  /** The model's prices; empty when the table has none for it. */
  public Optional<ModelPrice> price(String model) {
    return Optional.ofNullable(models.get(model));
  }

  /**
   * What one response costs at batch prices; empty for a model not in the table. Per response,
   * because the long-context tier is chosen from each request's own prompt: callers sum with {@link
   * Cost#plus}.
   */
  public Optional<Cost> cost(String model, TokenUsage usage) {
    Objects.requireNonNull(usage, "usage");
    return price(model).map(p -> p.batchCost(usage));
  }

  /** The same response at standard (online) prices; empty for a model not in the table. */
  public Optional<Cost> standardCost(String model, TokenUsage usage) {
    Objects.requireNonNull(usage, "usage");
    return price(model).map(p -> p.standardCost(usage));
  }
}
