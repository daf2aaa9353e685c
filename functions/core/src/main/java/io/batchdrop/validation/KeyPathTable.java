package io.batchdrop.validation;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * The JSON type seen for each key path of the file (array indices collapsed, e.g. {@code
 * request.contents[].parts[].text}), as a trie of interned key names with a fixed capacity, so
 * memory stays flat whatever the file. Types learned on a line only become binding for later lines
 * when that line is valid: an invalid line is not submitted, so it cannot clash.
 *
 * <p>Key names are user text of up to a line's length, so the table is bounded twice: by nodes and
 * by the bytes of the names it keeps. Once either is spent, new paths are not tracked (a path first
 * seen after that point can then hold different types on different lines without a finding, and the
 * Vertex importer would fail the job on it); paths already tracked are checked to the end. The
 * alternative, evicting old paths, would make the check depend on line order in a way nobody could
 * predict, and keeping everything would let one file hold hundreds of MB of names.
 */
final class KeyPathTable {

  static final int ROOT = 0;

  /** A path below the capacity limit: nothing is tracked for it. */
  static final int UNTRACKED = -1;

  /** The step from an array to its elements. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  static final String ELEMENT =
      new String("[]"); // a distinct instance: never identical to a real key

  private static final byte NO_TYPE = -1;

  private static final int INITIAL_SLOTS = 512;

  /** What a kept name costs: two bytes per char plus the String and array overhead. */
  private static final int NAME_OVERHEAD_BYTES = 48;

  private final int capacity;
  private final long maxNameBytes;
  private long nameBytes;

  /** Hash slots the table grows to when it nears capacity. */
  private final int maxSlots;

  private int mask;
  private int[] heads;
  private final int[] next;
  private final int[] parent;
  private final String[] name;
  private final byte[] keyFlags;
  private final byte[] type;
  private final long[] typeLine;
  private int size;
  private boolean full;

  private final int[] setThisLine;
  private int setThisLineCount;

  /**
   * @param capacity most key paths tracked
   * @param maxNameBytes most bytes of key names kept, see {@link #nameBytes()}
   */
  KeyPathTable(int capacity, long maxNameBytes) {
    this.capacity = capacity;
    this.maxNameBytes = maxNameBytes;
    this.maxSlots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
    // A file has a few hundred paths at most as a rule: a small slot array keeps every lookup in
    // the first-level cache, where one sized for the full capacity (128 KiB) missed on most.
    this.heads = emptySlots(Math.min(INITIAL_SLOTS, maxSlots));
    this.mask = heads.length - 1;
    this.next = new int[capacity];
    this.parent = new int[capacity];
    this.name = new String[capacity];
    this.keyFlags = new byte[capacity];
    this.type = new byte[capacity];
    this.typeLine = new long[capacity];
    this.setThisLine = new int[capacity];
    this.parent[ROOT] = UNTRACKED;
    this.name[ROOT] = "";
    this.type[ROOT] = NO_TYPE;
    this.size = 1;
  }

  /** The node of {@code parent.name}, created on first sight; UNTRACKED once the table is full. */
  int child(int parentNode, String key) {
    if (parentNode < 0) {
      return UNTRACKED;
    }
    int slot = slot(parentNode, key);
    for (int i = heads[slot]; i >= 0; i = next[i]) {
      if (parent[i] == parentNode
          && (name[i] == key || (name[i] != ELEMENT && key != ELEMENT && name[i].equals(key)))) {
        return i;
      }
    }
    long cost = key == ELEMENT ? 0 : nameCost(key);
    if (size == capacity || nameBytes + cost > maxNameBytes) {
      full = true;
      return UNTRACKED;
    }
    nameBytes += cost;
    int node = size++;
    parent[node] = parentNode;
    name[node] = key;
    keyFlags[node] = (byte) (key == ELEMENT ? 0 : KeyNames.flags(key));
    type[node] = NO_TYPE;
    next[node] = heads[slot];
    heads[slot] = node;
    if (size * 2 > heads.length && heads.length < maxSlots) {
      grow();
    }
    return node;
  }

  private int slot(int parentNode, String key) {
    return (parentNode * 0x9E3779B1 + key.hashCode()) & mask;
  }

  /** Doubles the slots, keeping them at most half full, and puts every node in its new slot. */
  private void grow() {
    heads = emptySlots(heads.length * 2);
    mask = heads.length - 1;
    for (int node = ROOT + 1; node < size; node++) {
      int slot = slot(parent[node], name[node]);
      next[node] = heads[slot];
      heads[slot] = node;
    }
  }

  private static int[] emptySlots(int n) {
    int[] slots = new int[n];
    Arrays.fill(slots, -1);
    return slots;
  }

  /** {@link KeyNames} flags of the node's key. */
  int keyFlags(int node) {
    return keyFlags[node];
  }

  /**
   * Notes that the node holds a value of {@code t} on {@code line}. Returns null when that agrees
   * with what was seen before, else the earlier type (see {@link #lineOf}).
   */
  JsonType record(int node, JsonType t, long line) {
    byte seen = type[node];
    if (seen == NO_TYPE) {
      type[node] = (byte) t.ordinal();
      typeLine[node] = line;
      setThisLine[setThisLineCount++] = node;
      return null;
    }
    return seen == t.ordinal() ? null : JsonType.byOrdinal(seen);
  }

  /**
   * Takes back a {@link #record} of {@code t} that gave the node its type on this line, when it was
   * the last type given: the value turned out to be a mistake another rule reports.
   */
  void forget(int node, JsonType t) {
    if (setThisLineCount > 0
        && setThisLine[setThisLineCount - 1] == node
        && type[node] == t.ordinal()) {
      type[node] = NO_TYPE;
      setThisLineCount--;
    }
  }

  /** The line on which the node's type was first seen. */
  long lineOf(int node) {
    return typeLine[node];
  }

  /** The line was valid: what it taught binds later lines. */
  void commitLine() {
    setThisLineCount = 0;
  }

  /** The line was invalid: forget the types it introduced. */
  void rollbackLine() {
    for (int i = 0; i < setThisLineCount; i++) {
      type[setThisLine[i]] = NO_TYPE;
    }
    setThisLineCount = 0;
  }

  /** True once a path could not be added because the table was full. */
  boolean full() {
    return full;
  }

  int capacity() {
    return capacity;
  }

  long maxNameBytes() {
    return maxNameBytes;
  }

  /** Key paths tracked, the root included. */
  int size() {
    return size;
  }

  /**
   * Bytes the kept key names take, counted as {@link #NAME_OVERHEAD_BYTES} plus two per char (the
   * table holds the names, so this is what the file can make it retain beyond its fixed arrays).
   */
  long nameBytes() {
    return nameBytes;
  }

  private static long nameCost(String key) {
    return NAME_OVERHEAD_BYTES + 2L * key.length();
  }

  /** The node's path with indices collapsed, e.g. {@code request.contents[].role}. */
  String render(int node) {
    Deque<String> steps = new ArrayDeque<>();
    for (int i = node; i > ROOT; i = parent[i]) {
      steps.push(name[i]);
    }
    StringBuilder sb = new StringBuilder();
    for (String step : steps) {
      if (step == ELEMENT) {
        sb.append("[]");
      } else {
        JsonPaths.appendKey(sb, step);
      }
    }
    return JsonPaths.bounded(sb);
  }
}
