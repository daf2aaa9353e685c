package io.batchdrop.staging;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The most shards one run may have. The run document ({@code runs/{runId}} in Firestore, at most 1
 * MiB) records an entry per shard (its {@link ShardInfo} as a map) and the id of every attempt's
 * job ({@code {runId}-s{shard}-a{attempt}}, up to {@link #MAX_ATTEMPTS_PER_SHARD}); a file that
 * needs more shards than fit is rejected while it is staged, before any job is created, rather than
 * failing when the document is written. Sizes follow Firestore's storage size rules
 * (cloud.google.com/firestore/docs/storage-size): a string is its UTF-8 bytes plus 1, an integer 8,
 * a map the sum of its keys' string sizes and its values' sizes, an array the sum of its elements.
 */
public final class RunShardBudget {

  /** Firestore's limit on one document. */
  public static final int MAX_DOCUMENT_BYTES = 1 << 20;

  /**
   * Kept for every other field of the run document: four times its largest bounded one, the first
   * findings (64 KiB), besides the source's name and URI (1 KiB each), counts, estimate, tokens,
   * cost, job states, the lease and the failure note.
   */
  public static final int OTHER_FIELDS_BYTES = 256 * 1024;

  /** The most attempts a row may have ({@code BATCHDROP_MAX_ATTEMPTS} is bounded by it). */
  public static final int MAX_ATTEMPTS_PER_SHARD = 10;

  /** The keys of a shard's map in the run document's {@code shards} list, in that order. */
  public static final List<String> SHARD_FIELDS =
      List.of("shard", "rows", "bytes", "firstRow", "lastRow");

  private static final int RUN_ID_CHARS = 20;
  private static final int INTEGER_BYTES = 8;

  /** 2,126 with the values above. */
  public static final int MAX_SHARDS = maxShards();

  private RunShardBudget() {}

  /**
   * The run document's bytes for shard {@code shard}, worst case: its map, and the ids of all its
   * attempts' jobs.
   */
  static long entryBytes(int shard) {
    long map = 0;
    for (String field : SHARD_FIELDS) {
      map += stringBytes(field) + INTEGER_BYTES;
    }
    long jobIds = 0;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS_PER_SHARD; attempt++) {
      jobIds += RUN_ID_CHARS + ("-s" + shard + "-a" + attempt).length() + 1;
    }
    return map + jobIds;
  }

  private static int maxShards() {
    long left = MAX_DOCUMENT_BYTES - OTHER_FIELDS_BYTES;
    int shards = 0;
    while (left >= entryBytes(shards + 1)) {
      shards++;
      left -= entryBytes(shards);
    }
    return shards;
  }

  private static int stringBytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length + 1;
  }
}
