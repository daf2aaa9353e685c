package io.batchdrop.publish;

import com.google.cloud.firestore.Blob;
import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.firestore.FieldTypes;
import io.batchdrop.pricing.Cost;
import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.TokenUsage;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How far {@code publish} got with one job, kept in the job document's {@code publish} map and
 * written, owner-checked, after each window of rows the server confirmed ({@link Checkpoints},
 * behind the reading of the next window): a crash resumes here and repeats at most two windows.
 * {@code seen} holds the rows read from the output (a row read twice is published once); {@code
 * retry} those held back for the next attempt.
 */
final class Progress {
  static final String PREFIX = "publish.";

  enum Phase {
    /** Reading the prediction files, {@code file} at {@code offset}. */
    READING,
    /** Going through the staged input for rows never seen or held back. */
    LEFTOVERS,
    /** Every row of this attempt has its message (or its next attempt): close the run. */
    CLOSING
  }

  Phase phase = Phase.READING;

  /**
   * The number of the file being read (its place in name order, unless the output changed while it
   * was read: it names the file's spilled responses, {@link GcsSpillTarget}), and the byte offset
   * reached in it.
   */
  int file;

  long offset;

  /**
   * The name and generation of the file being read: the offset is a place in those bytes only. Null
   * in a checkpoint from before they were recorded, which names the file by {@link #file} alone.
   */
  String fileName;

  long generation;

  /** Byte offset reached in the staged input during {@link Phase#LEFTOVERS}. */
  long leftoverOffset;

  /** The row of the staged line last passed there (staged rows are in row order); 0 before. */
  long leftoverRow;

  /**
   * When the staged shard was gone ({@link GoneShard}): the first row it ended, and whether the
   * rows never shown got their message; null when it was not.
   */
  GoneShard.Recorded stagedGone;

  /** Why some of the job's rows could not each get an outcome; the run reports it. Null: none. */
  String problem;

  RowSet seen;
  RowSet retry;
  long succeeded;
  long failed;
  long missing;
  long retried;
  long duplicates;
  long unattributed;
  TokenUsage tokens = TokenUsage.ZERO;
  Cost cost = Cost.ZERO;

  /** Rows with token counts but no price: the job's cost is then unknown, never guessed. */
  long unpriced;

  /** The job of the next attempt, when this one handed rows on. */
  String next;

  /** The rows published failed or missing, by error class, with a few examples: the report's. */
  ErrorSamples errors = new ErrorSamples();

  static Progress of(DocumentSnapshot job, long firstRow, long lastRow) {
    Progress p = new Progress();
    p.seen = rows(job, "seen", firstRow, lastRow);
    p.retry = rows(job, "retry", firstRow, lastRow);
    String phase = job.getString(PREFIX + "phase");
    p.phase = phase == null ? Phase.READING : phase(phase);
    p.file = (int) number(job, "file");
    p.offset = number(job, "offset");
    p.fileName = job.getString(PREFIX + "fileName");
    p.generation = number(job, "generation");
    p.leftoverOffset = number(job, "leftoverOffset");
    p.leftoverRow = number(job, "leftoverRow");
    if (job.get(PREFIX + GoneShard.Recorded.FIELD) != null) {
      p.stagedGone =
          new GoneShard.Recorded(
              number(job, GoneShard.Recorded.FIELD + ".fromRow"),
              Boolean.TRUE.equals(
                  job.getBoolean(PREFIX + GoneShard.Recorded.FIELD + ".unseenEnd")));
    }
    p.problem = job.getString(PREFIX + "problem");
    p.succeeded = number(job, "counts.succeeded");
    p.failed = number(job, "counts.failed");
    p.missing = number(job, "counts.missing");
    p.retried = number(job, "counts.retried");
    p.duplicates = number(job, "counts.duplicates");
    p.unattributed = number(job, "counts.unattributed");
    p.tokens =
        new TokenUsage(
            number(job, "tokens.prompt"),
            number(job, "tokens.cached"),
            number(job, "tokens.candidates"),
            number(job, "tokens.thoughts"),
            number(job, "tokens.toolUse"),
            number(job, "tokens.total"));
    p.cost =
        Cost.of(
            decimal(job, "cost.inputUsd"),
            decimal(job, "cost.cachedInputUsd"),
            decimal(job, "cost.outputUsd"));
    p.unpriced = number(job, "unpriced");
    p.next = job.getString(PREFIX + "next");
    p.errors = ErrorSamples.fromFirestore(job.get(PREFIX + ErrorSamples.FIELD));
    return p;
  }

  private static Phase phase(String name) {
    try {
      return Phase.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PREFIX
              + "phase is \""
              + name
              + "\"; expected one of "
              + java.util.Arrays.toString(Phase.values()),
          e);
    }
  }

  /**
   * The rows' usage not yet in {@link #tokens} and {@link #cost}; taken in by {@link #fields()}.
   */
  private UsageTally pending;

  /** Adds one row's usage, priced at {@code price} (empty for a model the table does not have). */
  void addUsage(TokenUsage usage, Optional<ModelPrice> price) {
    if (pending == null) {
      pending = new UsageTally(price);
    }
    pending.add(usage);
  }

  /** Takes the usage added since into {@link #tokens}, {@link #cost} and {@link #unpriced}. */
  void foldUsage() {
    if (pending != null) {
      pending.foldInto(this);
    }
  }

  /** The fields to write, as dotted paths of the job document. */
  Map<String, Object> fields() {
    foldUsage();
    Map<String, Object> f = new HashMap<>();
    f.put(PREFIX + "phase", phase.name());
    f.put(PREFIX + "file", file);
    f.put(PREFIX + "offset", offset);
    if (fileName != null) {
      f.put(PREFIX + "fileName", fileName);
      f.put(PREFIX + "generation", generation);
    }
    f.put(PREFIX + "leftoverOffset", leftoverOffset);
    f.put(PREFIX + "leftoverRow", leftoverRow);
    if (stagedGone != null) {
      f.put(
          PREFIX + GoneShard.Recorded.FIELD,
          Map.of("fromRow", stagedGone.fromRow(), "unseenEnd", stagedGone.unseenEnd()));
    }
    if (problem != null) {
      f.put(PREFIX + "problem", problem);
    }
    f.put(PREFIX + "seen", Blob.fromBytes(seen.toBytes()));
    f.put(PREFIX + "retry", Blob.fromBytes(retry.toBytes()));
    f.put(PREFIX + "counts", counts());
    f.put(PREFIX + "tokens", tokens(tokens));
    f.put(PREFIX + "cost", cost(cost));
    f.put(PREFIX + "unpriced", unpriced);
    f.put(PREFIX + ErrorSamples.FIELD, errors.toFirestore());
    if (next != null) {
      f.put(PREFIX + "next", next);
    }
    return f;
  }

  Map<String, Object> counts() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("succeeded", succeeded);
    counts.put("failed", failed);
    counts.put("missing", missing);
    counts.put("retried", retried);
    counts.put("duplicates", duplicates);
    counts.put("unattributed", unattributed);
    return counts;
  }

  static Map<String, Object> tokens(TokenUsage t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("prompt", t.prompt());
    m.put("cached", t.cached());
    m.put("candidates", t.candidates());
    m.put("thoughts", t.thoughts());
    m.put("toolUse", t.toolUse());
    m.put("total", t.total());
    return m;
  }

  /** Decimal strings: Firestore has no decimal type, and doubles would drift over many rows. */
  static Map<String, Object> cost(Cost c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inputUsd", c.inputUsd().toPlainString());
    m.put("cachedInputUsd", c.cachedInputUsd().toPlainString());
    m.put("outputUsd", c.outputUsd().toPlainString());
    m.put("totalUsd", c.totalUsd().toPlainString());
    return m;
  }

  /**
   * The checkpoint's row set {@code publish.seen} or {@code publish.retry} of a job whose rows are
   * {@code firstRow..lastRow}; empty when it has none.
   *
   * @throws IllegalArgumentException naming the field when it is not bytes, not a row set, or one
   *     over other rows (a row of the job would then be taken for unseen, or not fit it): no
   *     redelivery fixes such a checkpoint
   */
  static RowSet rows(DocumentSnapshot job, String field, long firstRow, long lastRow) {
    String path = PREFIX + field;
    Optional<String> wrongType = FieldTypes.check(job, path, Blob.class, "bytes");
    if (wrongType.isPresent()) {
      throw new IllegalArgumentException(wrongType.get());
    }
    Blob blob = job.getBlob(path);
    if (blob == null) {
      return new RowSet(firstRow, lastRow);
    }
    RowSet set;
    try {
      set = RowSet.fromBytes(blob.toBytes());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("field " + path + " is corrupt: " + e.getMessage(), e);
    }
    if (set.firstRow() != firstRow || set.lastRow() != lastRow) {
      throw new IllegalArgumentException(
          "field "
              + path
              + " holds rows "
              + set.firstRow()
              + ".."
              + set.lastRow()
              + "; the job's rows are "
              + firstRow
              + ".."
              + lastRow);
    }
    return set;
  }

  private static long number(DocumentSnapshot job, String field) {
    Long value = job.getLong(PREFIX + field);
    return value == null ? 0 : value;
  }

  private static BigDecimal decimal(DocumentSnapshot job, String field) {
    String value = job.getString(PREFIX + field);
    return value == null ? BigDecimal.ZERO : new BigDecimal(value);
  }
}
