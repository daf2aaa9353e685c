package io.batchdrop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.validation.Finding;
import io.batchdrop.validation.FindingJson;
import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes {@code validate --json}: one object whose "issues" array is written while the file is read
 * (every finding, not only the ones the report keeps), followed by the counts and the verdict, so
 * memory stays flat however many findings there are.
 */
final class JsonReportWriter implements LineListener {
  /** How many findings a ValidationReport keeps (its documented contract). */
  private static final int REPORT_KEEPS = 1000;

  private final JsonGenerator json;

  /**
   * Findings not tied to a row (a blank line, a BOM) reach us only through the report, which also
   * lists row findings already written: remembering the first streamed ones (no more than the
   * report keeps) tells them apart.
   */
  private final Set<Finding> streamedKeptByReport = new HashSet<>();

  private long streamed;

  JsonReportWriter(OutputStream out) throws IOException {
    this.json = new JsonFactory().createGenerator(out);
    this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeArrayFieldStart("issues");
  }

  @Override
  public void onValidLine(ValidLine line) throws IOException {
    write(line.warnings());
  }

  @Override
  public void onInvalidLine(InvalidLine line) throws IOException {
    write(line.findings());
  }

  private void write(List<Finding> findings) throws IOException {
    for (Finding finding : findings) {
      if (streamed < REPORT_KEEPS) {
        streamedKeptByReport.add(finding);
      }
      streamed++;
      writeIssue(finding);
    }
  }

  /** Closes the issues array with the findings only the report holds, then writes the counts. */
  void finish(ValidationReport report, Verdict verdict) throws IOException {
    for (Finding finding : report.findings()) {
      if (!streamedKeptByReport.contains(finding)) {
        writeIssue(finding);
      }
    }
    json.writeEndArray();
    json.writeNumberField("rows", report.rows());
    json.writeNumberField("valid", report.valid());
    json.writeNumberField("invalid", report.invalid());
    json.writeNumberField("warnings", report.warnings());
    json.writeStringField("verdict", verdict.accepted() ? "accepted" : "rejected");
    json.writeStringField("reason", verdict.reason());
    json.writeEndObject();
    json.writeRaw('\n');
    json.flush();
  }

  private void writeIssue(Finding finding) throws IOException {
    FindingJson.write(finding, json);
  }
}
