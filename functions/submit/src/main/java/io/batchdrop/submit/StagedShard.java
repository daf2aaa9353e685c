package io.batchdrop.submit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One staged input file, as recorded in the run document so a takeover need not stage again. */
record StagedShard(int shard, long rows, long bytes, long firstRow, long lastRow) {

  Map<String, Object> toMap() {
    Map<String, Object> map = new HashMap<>();
    map.put("shard", shard);
    map.put("rows", rows);
    map.put("bytes", bytes);
    map.put("firstRow", firstRow);
    map.put("lastRow", lastRow);
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
