package io.batchdrop.publish;

import io.batchdrop.staging.StagingLimits;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.LongConsumer;

/**
 * The rows of one job attempt seen so far: a bitset over {@code [firstRow, lastRow]}, kept in the
 * job's publish checkpoint as a Firestore Blob. A shard holds at most 200,000 rows, but the invalid
 * rows between them widen its span, so spans up to {@link #MAX_SPAN} rows are allowed; 200,000 rows
 * encode in about 25 KB (one bit a row plus a 17-byte header), far below Firestore's 1 MiB.
 *
 * <p>Not thread-safe.
 */
public final class RowSet {

  /** The widest span of rows staging gives a shard: 2,000,000 (250 KB encoded). */
  public static final long MAX_SPAN = StagingLimits.MAX_ROW_SPAN_PER_SHARD;

  private static final byte VERSION = 1;
  private static final int HEADER = 1 + 8 + 8;

  private final long firstRow;
  private final long lastRow;
  private final BitSet bits;
  private int cardinality;

  public RowSet(long firstRow, long lastRow) {
    this(firstRow, lastRow, new BitSet());
  }

  private RowSet(long firstRow, long lastRow, BitSet bits) {
    if (firstRow < 1 || lastRow < firstRow) {
      throw new IllegalArgumentException(
          "a row set spans rows firstRow..lastRow with 1 <= firstRow <= lastRow; got "
              + firstRow
              + ".."
              + lastRow);
    }
    if (lastRow - firstRow + 1 > MAX_SPAN) {
      throw new IllegalArgumentException(
          "a row set spans at most "
              + MAX_SPAN
              + " rows; got "
              + firstRow
              + ".."
              + lastRow
              + " ("
              + (lastRow - firstRow + 1)
              + " rows)");
    }
    this.firstRow = firstRow;
    this.lastRow = lastRow;
    this.bits = bits;
    this.cardinality = bits.cardinality();
  }

  public long firstRow() {
    return firstRow;
  }

  public long lastRow() {
    return lastRow;
  }

  /** True when {@code row} lies in {@code [firstRow, lastRow]}. */
  public boolean inRange(long row) {
    return row >= firstRow && row <= lastRow;
  }

  /** Adds a row; true when it was not in the set yet. Throws for a row outside the span. */
  public boolean add(long row) {
    int i = index(row);
    if (bits.get(i)) {
      return false;
    }
    bits.set(i);
    cardinality++;
    return true;
  }

  /** True when the row was added; false for any row outside the span. */
  public boolean contains(long row) {
    return inRange(row) && bits.get((int) (row - firstRow));
  }

  /** How many rows were added. */
  public int cardinality() {
    return cardinality;
  }

  /** Calls {@code action} with every row of the span not added, in ascending order. */
  public void forEachAbsent(LongConsumer action) {
    int span = (int) (lastRow - firstRow + 1);
    for (int i = bits.nextClearBit(0); i < span; i = bits.nextClearBit(i + 1)) {
      action.accept(firstRow + i);
    }
  }

  /** A version byte, firstRow and lastRow (big-endian longs), then the bits (little-endian). */
  public byte[] toBytes() {
    byte[] set = bits.toByteArray();
    return ByteBuffer.allocate(HEADER + set.length)
        .put(VERSION)
        .putLong(firstRow)
        .putLong(lastRow)
        .put(set)
        .array();
  }

  /** Reads what {@link #toBytes()} wrote; throws for anything else. */
  public static RowSet fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER) {
      throw new IllegalArgumentException(
          "an encoded row set has a header of "
              + HEADER
              + " bytes; got "
              + (bytes == null ? "null" : bytes.length + " bytes"));
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte version = in.get();
    if (version != VERSION) {
      throw new IllegalArgumentException(
          "an encoded row set starts with version " + VERSION + "; got " + version);
    }
    long first = in.getLong();
    long last = in.getLong();
    BitSet bits = BitSet.valueOf(in);
    RowSet set = new RowSet(first, last, bits);
    if (bits.length() > last - first + 1) {
      throw new IllegalArgumentException(
          "an encoded row set holds rows past its last row " + last + "; the bytes are corrupt");
    }
    return set;
  }

  private int index(long row) {
    if (!inRange(row)) {
      throw new IllegalArgumentException(
          "row " + row + " is outside this row set's span " + firstRow + ".." + lastRow);
    }
    return (int) (row - firstRow);
  }

  @Override
  public String toString() {
    return "RowSet[" + firstRow + ".." + lastRow + ", " + cardinality + " seen]";
  }
}
