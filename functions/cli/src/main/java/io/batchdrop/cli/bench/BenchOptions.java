package io.batchdrop.cli.bench;

import java.nio.file.Path;

/**
 * {@code bench validate [--size-mb N] [--file PATH] [--keep] [--runs N]}. file: null means
 * bench-data/bench-{N}mb.jsonl under the tool's home.
 */
public record BenchOptions(int sizeMb, Path file, boolean keep, int runs) {
  public static final int DEFAULT_SIZE_MB = 256;
  public static final int DEFAULT_RUNS = 3;
}
