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

  private static final int MAX_CAUSES = 32;

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

    /**
     * What failed, for an operator: {@code error}, the exception's class; {@code code}, the first
     * status a service answered with anywhere in its causes (gRPC code, or {@code HTTP n} from
     * Cloud Storage); {@code cause}, the innermost cause's class when it is another. Never the
     * messages: a service's message can quote the request.
     */
    public Entry failure(Throwable error) {
      with("error", error.getClass().getSimpleName());
      Throwable innermost = error;
      String code = null;
      int depth = 0;
      for (Throwable t = error; t != null && depth++ < MAX_CAUSES; t = t.getCause()) {
        if (code == null) {
          code = statusOf(t);
        }
        innermost = t;
      }
      with("code", code);
      if (innermost != error) {
        with("cause", innermost.getClass().getSimpleName());
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

  private static String statusOf(Throwable t) {
    if (t instanceof com.google.api.gax.rpc.ApiException api) {
      return api.getStatusCode().getCode().name();
    }
    if (t instanceof com.google.cloud.firestore.FirestoreException fe && fe.getStatus() != null) {
      return fe.getStatus().getCode().name();
    }
    if (t instanceof io.grpc.StatusRuntimeException grpc) {
      return grpc.getStatus().getCode().name();
    }
    if (t instanceof com.google.cloud.storage.StorageException storage && storage.getCode() > 0) {
      return "HTTP " + storage.getCode();
    }
    return null;
  }
}
