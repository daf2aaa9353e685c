package io.batchdrop.emulator.gemini;

import java.util.List;
import java.util.Optional;

/** One page of a list call: {@code pageSize} (default 50, at most 1000) and {@code pageToken}. */
record Page<T>(List<T> items, Optional<String> nextToken) {

  static final int DEFAULT_SIZE = 50;
  static final int MAX_SIZE = 1000;

  static <T> Page<T> of(List<T> all, Exchange exchange) {
    int size = exchange.query("pageSize").map(Page::parse).orElse(DEFAULT_SIZE);
    if (size <= 0) {
      size = DEFAULT_SIZE;
    }
    size = Math.min(size, MAX_SIZE);
    int start = exchange.query("pageToken").filter(t -> !t.isEmpty()).map(Page::parse).orElse(0);
    if (start < 0 || start > all.size()) {
      throw ApiError.invalid("Invalid page token.");
    }
    int end = Math.min(all.size(), start + size);
    return new Page<>(
        all.subList(start, end),
        end < all.size() ? Optional.of(Integer.toString(end)) : Optional.empty());
  }

  private static int parse(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw ApiError.invalid("Expected a number, got: " + value);
    }
  }
}
