package io.batchdrop.submit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finding as plain JSON-ready values: the same shape in report.json, Firestore and events. */
final class FindingJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FindingJson() {}

  static Map<String, Object> of(Finding finding) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("line", finding.line());
    map.put("column", finding.column());
    map.put("code", finding.code());
    map.put("path", finding.path());
    map.put("message", finding.message());
    map.put("severity", finding.severity().label());
    return map;
  }

  static List<Map<String, Object>> of(List<Finding> findings, int limit) {
    return findings.stream().limit(limit).map(FindingJson::of).toList();
  }

  /**
   * The first findings, at most {@code limit} of them and at most {@code maxBytes} of JSON in
   * total: what a Firestore document or an event can carry whatever the findings hold.
   */
  static List<Map<String, Object>> capped(List<Finding> findings, int limit, int maxBytes) {
    List<Map<String, Object>> kept = new ArrayList<>();
    long bytes = 2; // the brackets
    for (Finding finding : findings) {
      if (kept.size() == limit) {
        break;
      }
      Map<String, Object> json = of(finding);
      long size = bytesOf(json) + 1; // and its comma
      if (bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      kept.add(json);
    }
    return kept;
  }

  private static long bytesOf(Map<String, Object> json) {
    try {
      return JSON.writeValueAsBytes(json).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a finding is plain JSON values", e);
    }
  }
}
