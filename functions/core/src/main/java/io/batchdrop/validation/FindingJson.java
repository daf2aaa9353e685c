package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON shape of a {@link Finding}: {@code {"line", "column", "code", "path", "message",
 * "severity"}}, in that order, severity as its lowercase label. {@code invalid.jsonl}, the
 * rejection report, the run document and {@code validate --json} all use it, so tools that read one
 * read them all.
 */
public final class FindingJson {

  public static final String LINE = "line";
  public static final String COLUMN = "column";
  public static final String CODE = "code";
  public static final String PATH = "path";
  public static final String MESSAGE = "message";
  public static final String SEVERITY = "severity";

  private FindingJson() {}

  /** Writes the finding as one JSON object at the generator's current position. */
  public static void write(Finding finding, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeNumberField(LINE, finding.line());
    g.writeNumberField(COLUMN, finding.column());
    g.writeStringField(CODE, finding.code());
    g.writeStringField(PATH, finding.path());
    g.writeStringField(MESSAGE, finding.message());
    g.writeStringField(SEVERITY, finding.severity().label());
    g.writeEndObject();
  }

  /**
   * The finding as an insertion-ordered map of plain values (Long line, Integer column, Strings),
   * ready for Firestore or a JSON mapper.
   */
  public static Map<String, Object> toMap(Finding finding) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(LINE, finding.line());
    map.put(COLUMN, finding.column());
    map.put(CODE, finding.code());
    map.put(PATH, finding.path());
    map.put(MESSAGE, finding.message());
    map.put(SEVERITY, finding.severity().label());
    return map;
  }

  /** The first {@code limit} findings as {@link #toMap} maps. */
  public static List<Map<String, Object>> toMaps(List<Finding> findings, int limit) {
    return findings.stream().limit(limit).map(FindingJson::toMap).toList();
  }
}
