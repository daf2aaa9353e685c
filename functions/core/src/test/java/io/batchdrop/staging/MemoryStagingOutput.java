package io.batchdrop.staging;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Staged output kept in memory; records which streams were opened and closed. */
final class MemoryStagingOutput implements StagingOutput {

  final Map<Integer, ByteArrayOutputStream> shards = new TreeMap<>();
  ByteArrayOutputStream invalid;
  final List<String> closed = new ArrayList<>();

  @Override
  public OutputStream openShard(int shard) {
    ByteArrayOutputStream out = tracked("shard-" + shard);
    shards.put(shard, out);
    return out;
  }

  @Override
  public OutputStream openInvalid() {
    invalid = tracked("invalid");
    return invalid;
  }

  private ByteArrayOutputStream tracked(String name) {
    return new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed.add(name);
      }
    };
  }

  List<String> shardLines(int shard) {
    return lines(shards.get(shard));
  }

  List<String> invalidLines() {
    return invalid == null ? List.of() : lines(invalid);
  }

  private static List<String> lines(ByteArrayOutputStream out) {
    String text = out.toString(StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return List.of();
    }
    if (!text.endsWith("\n")) {
      throw new AssertionError("staged output must end with a newline");
    }
    return List.of(text.substring(0, text.length() - 1).split("\n", -1));
  }
}
