package io.batchdrop.publish;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The failing rows of one job attempt by error class ({@code 400 INVALID_ARGUMENT}, {@code
 * missing}, ...), for the run report: every row counted, the first {@link #EXAMPLES_PER_CLASS} of a
 * class kept as examples. It lives in the job document's {@code publish} map beside the seen-rows
 * bitsets, so it is bounded by bytes, not only by count: at most {@link #MAX_CLASSES} classes are
 * named (later ones are counted as {@link #OTHER}), keys and messages are cut, and no example is
 * kept once {@link #MAX_BYTES} of text are held.
 */
final class ErrorSamples {
  static final String FIELD = "errors";
  static final int MAX_CLASSES = 12;
  static final int EXAMPLES_PER_CLASS = 5;
  static final int MAX_KEY_CHARS = 80;
  static final int MAX_MESSAGE_CHARS = 300;
  static final int MAX_BYTES = 16 * 1024;
  static final String OTHER = "other";

  /** One failing row kept as an example. */
  record Example(long row, String key, String message) {}

  /** One error class: how many rows had it, and the first few of them. */
  record ErrorClass(String name, long count, List<Example> examples) {}

  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Map<String, List<Example>> examples = new LinkedHashMap<>();
  private int bytes;

  /** The class of a Vertex row error: code and status as far as they are known. */
  static String classOf(RowError error) {
    if (error.code() != null && error.status() != null) {
      return error.code() + " " + error.status();
    }
    if (error.code() != null) {
      return String.valueOf(error.code());
    }
    return error.status() != null ? error.status() : "unparsed status";
  }

  void add(String errorClass, long row, String key, String message) {
    String name = named(errorClass);
    counts.merge(name, 1L, Long::sum);
    keep(name, new Example(row, key, message));
  }

  /** The class's name as counted: cut, or {@link #OTHER} once {@link #MAX_CLASSES} are named. */
  private String named(String errorClass) {
    String name = cut(errorClass, MAX_KEY_CHARS);
    return counts.containsKey(name) || counts.size() < MAX_CLASSES ? name : OTHER;
  }

  /** Keeps an example of a class while the class and the whole stay within their bounds. */
  private void keep(String name, Example example) {
    List<Example> kept = examples.computeIfAbsent(name, n -> new ArrayList<>());
    if (kept.size() >= EXAMPLES_PER_CLASS) {
      return;
    }
    Example bounded =
        new Example(
            example.row(),
            example.key() == null ? null : cut(example.key(), MAX_KEY_CHARS),
            cut(example.message(), MAX_MESSAGE_CHARS));
    int size = utf8(bounded.key()) + utf8(bounded.message()) + utf8(name) + 32;
    if (bytes + size > MAX_BYTES) {
      return;
    }
    bytes += size;
    kept.add(bounded);
  }

  List<ErrorClass> classes() {
    List<ErrorClass> list = new ArrayList<>();
    // A class read back from a job whose budget ran out before its first example has none.
    counts.forEach(
        (name, count) ->
            list.add(new ErrorClass(name, count, examples.getOrDefault(name, List.of()))));
    return list;
  }

  /** As Firestore stores it: a list of {@code {class, count, examples: [{row, key, message}]}}. */
  List<Map<String, Object>> toFirestore() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (ErrorClass c : classes()) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Example e : c.examples()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("row", e.row());
        row.put("key", e.key());
        row.put("message", e.message());
        rows.add(row);
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class", c.name());
      entry.put("count", c.count());
      entry.put("examples", rows);
      list.add(entry);
    }
    return list;
  }

  /**
   * Reads what {@link #toFirestore} wrote, with every count kept, {@link #OTHER} included; anything
   * of another shape is skipped, and the bounds of {@link #add} hold for what is read too.
   */
  static ErrorSamples fromFirestore(Object stored) {
    ErrorSamples samples = new ErrorSamples();
    if (!(stored instanceof List<?> list)) {
      return samples;
    }
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> entry) || !(entry.get("class") instanceof String name)) {
        continue;
      }
      long count = entry.get("count") instanceof Number n ? n.longValue() : 0;
      List<Example> kept = new ArrayList<>();
      if (entry.get("examples") instanceof List<?> rows) {
        for (Object r : rows) {
          if (r instanceof Map<?, ?> row && row.get("message") instanceof String message) {
            long number = row.get("row") instanceof Number n ? n.longValue() : 0;
            String key = row.get("key") instanceof String k ? k : null;
            kept.add(new Example(number, key, message));
          }
        }
      }
      String counted = samples.named(name);
      samples.counts.merge(counted, count, Long::sum);
      for (Example e : kept) {
        samples.keep(counted, e);
      }
    }
    return samples;
  }

  /** Cuts on a character boundary and says how long the text was. */
  static String cut(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…(" + String.format("%,d", text.length()) + " characters)";
  }

  private static int utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
