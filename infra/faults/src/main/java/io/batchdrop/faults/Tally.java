package io.batchdrop.faults;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Faults injected, by kind, for the summary. */
final class Tally {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  void add(String kind) {
    add(kind, 1);
  }

  void add(String kind, long n) {
    if (n > 0) {
      counts.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(n);
    }
  }

  Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counts.forEach((kind, n) -> copy.put(kind, n.get()));
    return copy;
  }
}
