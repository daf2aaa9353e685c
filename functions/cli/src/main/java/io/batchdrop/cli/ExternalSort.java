package io.batchdrop.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.Stream;

/**
 * Sorts records by row number in bounded memory, whatever their number: records are gathered up to
 * {@code chunkBytes}, each full chunk is sorted and spilled to a temporary file, and the files are
 * merged k ways (at most {@code fanIn} open at once; more files are merged in passes). Memory is
 * one chunk, or {@code fanIn} read buffers and one record per file while merging.
 */
final class ExternalSort implements Closeable {
  /** What one record costs in memory beyond its bytes: the object, the array header, the list. */
  static final int RECORD_OVERHEAD = 64;

  private static final int BUFFER = 64 * 1024;

  /** Told each record in row order. */
  interface Sink {
    void accept(long row, byte[] data) throws IOException;
  }

  private record Rec(long row, byte[] data) {}

  private final Path dir;
  private final long chunkBytes;
  private final int fanIn;
  private final List<Rec> chunk = new ArrayList<>();
  private final List<Path> spills = new ArrayList<>();
  private long chunkSize;
  private int files;

  ExternalSort(long chunkBytes, int fanIn) throws IOException {
    if (chunkBytes < 1 || fanIn < 2) {
      throw new IllegalArgumentException(
          "a chunk holds at least a byte and a merge takes two files");
    }
    this.dir = Files.createTempDirectory("batchdrop-sort");
    this.chunkBytes = chunkBytes;
    this.fanIn = fanIn;
  }

  void add(long row, byte[] data) throws IOException {
    chunk.add(new Rec(row, data));
    chunkSize += data.length + RECORD_OVERHEAD;
    if (chunkSize >= chunkBytes) {
      spill();
    }
  }

  /** How many temporary files the records went through (0: they fit in one chunk). */
  int spilledFiles() {
    return files;
  }

  void drain(Sink sink) throws IOException {
    if (spills.isEmpty()) {
      chunk.sort(Comparator.comparingLong(Rec::row));
      for (Rec rec : chunk) {
        sink.accept(rec.row(), rec.data());
      }
      chunk.clear();
      return;
    }
    spill();
    List<Path> level = new ArrayList<>(spills);
    while (level.size() > fanIn) {
      List<Path> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += fanIn) {
        List<Path> group = level.subList(i, Math.min(level.size(), i + fanIn));
        Path merged = newFile();
        try (DataOutputStream out = writer(merged)) {
          merge(group, (row, data) -> write(out, row, data));
        }
        for (Path done : group) {
          Files.deleteIfExists(done);
        }
        next.add(merged);
      }
      level = next;
    }
    merge(level, sink);
  }

  private void spill() throws IOException {
    if (chunk.isEmpty()) {
      return;
    }
    chunk.sort(Comparator.comparingLong(Rec::row));
    Path file = newFile();
    try (DataOutputStream out = writer(file)) {
      for (Rec rec : chunk) {
        write(out, rec.row(), rec.data());
      }
    }
    spills.add(file);
    chunk.clear();
    chunkSize = 0;
  }

  private Path newFile() throws IOException {
    files++;
    return Files.createTempFile(dir, "run", ".bin");
  }

  private static DataOutputStream writer(Path file) throws IOException {
    return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER));
  }

  private static void write(DataOutputStream out, long row, byte[] data) throws IOException {
    out.writeLong(row);
    out.writeInt(data.length);
    out.write(data);
  }

  /** One open sorted file and its current record. */
  private static final class Cursor implements Closeable {
    private final DataInputStream in;
    long row;
    byte[] data;

    Cursor(Path file) throws IOException {
      in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER));
    }

    boolean advance() throws IOException {
      try {
        row = in.readLong();
      } catch (EOFException end) {
        return false;
      }
      data = new byte[in.readInt()];
      in.readFully(data);
      return true;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static void merge(List<Path> files, Sink sink) throws IOException {
    PriorityQueue<Cursor> heap = new PriorityQueue<>(Comparator.comparingLong(c -> c.row));
    List<Cursor> open = new ArrayList<>();
    try {
      for (Path file : files) {
        Cursor cursor = new Cursor(file);
        open.add(cursor);
        if (cursor.advance()) {
          heap.add(cursor);
        }
      }
      while (!heap.isEmpty()) {
        Cursor least = heap.poll();
        sink.accept(least.row, least.data);
        if (least.advance()) {
          heap.add(least);
        }
      }
    } finally {
      for (Cursor cursor : open) {
        cursor.close();
      }
    }
  }

  @Override
  public void close() throws IOException {
    chunk.clear();
    try (Stream<Path> left = Files.list(dir)) {
      for (Path file : left.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(dir);
  }
}
