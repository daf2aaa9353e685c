package io.batchdrop.submit;

import io.batchdrop.validation.Finding;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A finding as plain JSON-ready values: the same shape in report.json, Firestore and events. */
final class FindingJson {
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
}
