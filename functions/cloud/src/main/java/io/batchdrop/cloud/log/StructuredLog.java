package io.batchdrop.cloud.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per step on stdout, in the shape Cloud Logging parses ({@code severity}, {@code
 * message}, plus {@code run_id}, {@code job_id} and numbers). Never give it request contents: only
 * ids, counts, codes and reasons.
 */
public final class StructuredLog {
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The longest text field written whole. A reason can carry a service's whole error body, and a
   * line must stay far below Cloud Logging's 256 KB an entry and readable in a console.
   */
  public static final int MAX_FIELD_CHARS = 1_000;

  private final String component;
  private final PrintStream out;

  private StructuredLog(String component, PrintStream out) {
    this.component = component;
    this.out = out;
  }

  public static StructuredLog forComponent(String component) {
    return new StructuredLog(component, System.out);
  }

  public Entry info() {
    return new Entry(Severity.INFO);
  }

  public Entry warning() {
    return new Entry(Severity.WARNING);
  }

  public Entry error() {
    return new Entry(Severity.ERROR);
  }

  /** Collects fields; {@link #log(String)} writes the line. */
  public final class Entry {
    private final Severity severity;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Entry(Severity severity) {
      this.severity = severity;
    }

    public Entry run(Object runId) {
      return with("run_id", runId);
    }

    public Entry job(Object jobId) {
      return with("job_id", jobId);
    }

    public Entry with(String name, Object value) {
      if (value != null) {
        fields.put(name, value);
      }
      return this;
    }

    public void log(String message) {
      StringWriter line = new StringWriter();
      try (JsonGenerator json = JSON.createGenerator(line)) {
        json.writeStartObject();
        json.writeStringField("severity", severity.name());
        json.writeStringField("message", message);
        json.writeStringField("component", component);
        json.writeStringField("time", Instant.now().toString());
        for (Map.Entry<String, Object> field : fields.entrySet()) {
          Object value = field.getValue();
          if (value instanceof Number number) {
            json.writeFieldName(field.getKey());
            json.writeNumber(number.toString());
          } else if (value instanceof Boolean bool) {
            json.writeBooleanField(field.getKey(), bool);
          } else {
            json.writeStringField(field.getKey(), bounded(String.valueOf(value)));
          }
        }
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.println(line);
    }
  }

  private static String bounded(String text) {
    if (text.length() <= MAX_FIELD_CHARS) {
      return text;
    }
    int cut = MAX_FIELD_CHARS;
    if (Character.isHighSurrogate(text.charAt(cut - 1))) {
      cut--; // never half a character
    }
    return text.substring(0, cut) + "… (" + (text.length() - cut) + " more characters)";
  }
}
