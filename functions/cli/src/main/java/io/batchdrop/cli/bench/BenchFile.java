package io.batchdrop.cli.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The benchmark's input: an existing file of the requested size is reused (generation is
 * deterministic, so it holds the same lines), otherwise it is generated. {@code generated} says
 * whether this run wrote it (and may delete it afterwards).
 */
record BenchFile(Path path, long size, boolean generated) {
  static final long SEED = 20_240_601L;
  private static final long MB = 1L << 20;

  static BenchFile prepare(Path path, int sizeMb, PrintStream log) throws IOException {
    long minBytes = sizeMb * MB;
    if (Files.isRegularFile(path)) {
      long size = Files.size(path);
      if (size >= minBytes && size <= minBytes + SyntheticRequests.MAX_LINE_BYTES + 1) {
        log.printf("reusing %s (%d MB)%n", path, sizeMb);
        return new BenchFile(path, size, false);
      }
    }
    Path parent = path.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    // Written aside and renamed, so an interrupted run never leaves a short file to be reused.
    Path partial = parent.resolve(path.getFileName() + ".partial");
    log.printf("generating %s (%d MB, seed %d)…%n", path, sizeMb, SEED);
    long start = System.nanoTime();
    long size;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
      size = new SyntheticRequests(SEED).write(out, minBytes);
    }
    Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    log.printf("generated in %.1f s%n", (System.nanoTime() - start) / 1e9);
    return new BenchFile(path, size, true);
  }
}
