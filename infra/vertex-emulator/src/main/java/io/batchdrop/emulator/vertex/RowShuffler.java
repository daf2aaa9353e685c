package io.batchdrop.emulator.vertex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Vertex returns rows in any order. This shuffles rows within windows of a bounded size (memory
 * stays constant however large the job) with a seeded random, so a job's order is reproducible. A
 * window of two or more rows never keeps its input order, so code that relies on order fails every
 * time, not by chance.
 */
final class RowShuffler<T> {

  static final int WINDOW = 1000;

  private final Random random;
  private final Consumer<T> sink;
  private final List<Indexed<T>> window = new ArrayList<>();

  RowShuffler(long seed, Consumer<T> sink) {
    this.random = new Random(seed);
    this.sink = sink;
  }

  void add(T row) {
    window.add(new Indexed<>(window.size(), row));
    if (window.size() == WINDOW) {
      flush();
    }
  }

  void flush() {
    Collections.shuffle(window, random);
    if (window.size() > 1 && inInputOrder()) {
      Collections.rotate(window, 1);
    }
    window.forEach(row -> sink.accept(row.row()));
    window.clear();
  }

  private boolean inInputOrder() {
    for (int i = 0; i < window.size(); i++) {
      if (window.get(i).index() != i) {
        return false;
      }
    }
    return true;
  }

  private record Indexed<T>(int index, T row) {}
}
