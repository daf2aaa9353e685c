package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

  private static final JsonFactory FACTORY = new JsonFactory();
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

  /**
   * The first findings, at most {@code limit} of them and at most {@code maxBytes} of JSON in
   * total: what a Firestore document or an event can carry whatever the findings hold.
   */
  public static List<Map<String, Object>> capped(List<Finding> findings, int limit, int maxBytes) {
    List<Map<String, Object>> kept = new ArrayList<>();
    long bytes = 2; // the brackets
    for (Finding finding : findings) {
      if (kept.size() == limit) {
        break;
      }
      long size = bytesOf(finding) + 1; // and its comma
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      kept.add(toMap(finding));
    }
    return kept;
  }

  private static long bytesOf(Finding finding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(finding, g);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array does not fail", e);
    }
    return out.size();
  }
}
