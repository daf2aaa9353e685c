package io.batchdrop.bench.coldstart;

import java.util.List;

/** Median and range of repeated timings, in milliseconds. */
record Spread(double median, double min, double max, int runs) {
  static Spread of(List<Double> millis) {
    if (millis.isEmpty()) {
      throw new IllegalArgumentException("expected at least one timing");
    }
    List<Double> sorted = millis.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(median, sorted.get(0), sorted.get(n - 1), n);
  }
}
