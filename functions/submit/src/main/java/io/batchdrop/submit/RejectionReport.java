package io.batchdrop.submit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.validation.FindingJson;
import io.batchdrop.validation.ValidationReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code runs/{runId}/report.json} for a rejected upload: why, the counts, and the findings. */
final class RejectionReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Storage storage;

  RejectionReport(Storage storage) {
    this.storage = storage;
  }

  /** Writes the report; {@code validation} is null when the file was rejected unread. */
  void write(
      BlobInfo target,
      String runId,
      UploadedObject source,
      String reason,
      ValidationReport validation,
      String invalidUri)
      throws java.io.IOException {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("runId", runId);
    report.put(
        "source",
        Map.of(
            "uri",
            source.uri(),
            "generation",
            Long.toString(source.generation()),
            "size",
            source.size()));
    report.put("verdict", "rejected");
    report.put("reason", reason);
    report.put("counts", counts(validation));
    report.put(
        "findings",
        validation == null
            ? List.of()
            : FindingJson.toMaps(validation.findings(), Integer.MAX_VALUE));
    report.put("findingsTotal", validation == null ? 0 : validation.findingsTotal());
    if (invalidUri != null) {
      report.put("invalidUri", invalidUri);
    }
    storage.create(
        BlobInfo.newBuilder(target.getBlobId()).setContentType("application/json").build(),
        JSON.writeValueAsBytes(report));
  }

  static Map<String, Object> counts(ValidationReport validation) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("rows", validation == null ? 0 : validation.rows());
    counts.put("valid", validation == null ? 0 : validation.valid());
    counts.put("invalid", validation == null ? 0 : validation.invalid());
    counts.put("warnings", validation == null ? 0 : validation.warnings());
    return counts;
  }
}
