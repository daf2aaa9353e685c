package io.batchdrop.submit;

import io.batchdrop.staging.RunShardBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One staged input file, as recorded in the run document so a takeover need not stage again. */
record StagedShard(int shard, long rows, long bytes, long firstRow, long lastRow) {

  /** The run document's entry, with {@link RunShardBudget#SHARD_FIELDS}, which it is sized by. */
  Map<String, Object> toMap() {
    List<Object> values = List.of(shard, rows, bytes, firstRow, lastRow);
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      map.put(RunShardBudget.SHARD_FIELDS.get(i), values.get(i));
    }
    return map;
  }

  static StagedShard fromMap(Map<String, Object> map) {
    return new StagedShard(
        ((Number) map.get("shard")).intValue(),
        number(map, "rows"),
        number(map, "bytes"),
        number(map, "firstRow"),
        number(map, "lastRow"));
  }

  @SuppressWarnings("unchecked")
  static List<StagedShard> fromList(Object list) {
    return list == null
        ? List.of()
        : ((List<Map<String, Object>>) list).stream().map(StagedShard::fromMap).toList();
  }

  private static long number(Map<String, Object> map, String field) {
    return ((Number) map.get(field)).longValue();
  }
}
