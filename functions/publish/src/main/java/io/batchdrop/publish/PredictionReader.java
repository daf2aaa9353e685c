package io.batchdrop.publish;

import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import io.batchdrop.validation.RowKeys;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.Arrays;

/**
 * Reads the lines of one {@code predictions*.jsonl} file, one {@link PredictionRow} at a time, in
 * memory bounded by the in-memory limit whatever the size of a line or the file.
 *
 * <p>The stream starts at a known byte offset of the file (the caller does a ranged read from its
 * checkpoint); every row reports the file offset just past its line, so reading can stop after any
 * row and resume there with exactly the rows that follow.
 *
 * <p>Each line gets its own Jackson streaming parser over a stream that ends at the line's LF, so a
 * truncated or garbled line can never swallow the next one, and its offsets are exact. Nothing
 * builds a tree: the echoed {@code request} is skipped except {@code request.labels.batchdrop_row};
 * the {@code response} is copied byte for byte into a {@link ResponseSink} (in memory up to the
 * limit, spilled to the {@link SpillTarget} past it) while its tokens are walked for the usage,
 * finish reason, candidates and block reason, its strings skipped unread. Members of a line may
 * come in any order. A line that is not a JSON object, or has no valid row label, yields an
 * unattributable row and reading goes on. Blank lines are skipped.
 *
 * <p>Not thread-safe. I/O errors of the stream or the spill target are thrown: they are the
 * caller's to retry, not a property of the line.
 */
public final class PredictionReader implements Closeable {

  /** The default in-memory limit of one response: 16 MiB. */
  public static final int DEFAULT_IN_MEMORY_LIMIT = 16 * 1024 * 1024;

  private static final int MAX_PROBLEM_CHARS = 500;
  private static final int MAX_STATUS_JSON_CHARS = 64 * 1024;

  /** Bytes made available before a line is read in place: lines up to this long always can be. */
  private static final int IN_PLACE_AHEAD = 32 * 1024;

  private final JsonFactory json = PublishJson.factory();
  private final InputStream in;
  private final LineSource source;
  private final ResponseSink sink;
  private final boolean geminiShape;
  private final int inMemoryLimit;

  /** False only in tests that compare the two paths: every line then goes the streaming one. */
  private final boolean inPlace;

  private long rowsInPlace;

  /** Reads from {@code in}, whose first byte is at {@code startOffset} in the file. */
  public PredictionReader(InputStream in, long startOffset, SpillTarget spill) {
    this(in, startOffset, spill, DEFAULT_IN_MEMORY_LIMIT);
  }

  public PredictionReader(InputStream in, long startOffset, SpillTarget spill, int inMemoryLimit) {
    this(in, startOffset, spill, inMemoryLimit, false);
  }

  /**
   * @param geminiShape the file is a Gemini API responses file: lines {@code {"key": "row-N",
   *     "response": {...}}} or {@code {"key": "row-N", "error": {code, message, status}}}, so the
   *     row comes from {@code key} when no label says it, and {@code error} stands for the status
   */
  public PredictionReader(
      InputStream in, long startOffset, SpillTarget spill, int inMemoryLimit, boolean geminiShape) {
    this(in, startOffset, spill, inMemoryLimit, geminiShape, true);
  }

  PredictionReader(
      InputStream in,
      long startOffset,
      SpillTarget spill,
      int inMemoryLimit,
      boolean geminiShape,
      boolean inPlace) {
    this.geminiShape = geminiShape;
    this.inMemoryLimit = inMemoryLimit;
    this.inPlace = inPlace;
    if (startOffset < 0) {
      throw new IllegalArgumentException(
          "the start offset is a byte offset >= 0; got " + startOffset);
    }
    this.in = in;
    this.source = new LineSource(in, startOffset);
    this.sink = new ResponseSink(inMemoryLimit, spill);
  }

  /** The next row, or null at the end of the stream. */
  public PredictionRow next() throws IOException {
    while (!source.atEnd()) {
      long start = source.offset();
      int first = source.skipSpaces();
      if (first == '\n' || first == -1) {
        source.skipLine();
        continue;
      }
      if (first != '{') {
        source.skipLine();
        return PredictionRow.unattributable(
            start, source.offset(), "the line does not start with '{'; expected one JSON object");
      }
      return read(start);
    }
    return null;
  }

  /** Where the next line starts: after the last row returned, the value to checkpoint. */
  public long offset() {
    return source.offset();
  }

  /** How many lines were read in place rather than streamed (for the tests comparing the two). */
  long rowsInPlace() {
    return rowsInPlace;
  }

  /** The most bytes of response this reader held in memory at once; at most the limit. */
  public long peakResponseBytesInMemory() {
    return sink.peakBytesInMemory();
  }

  @Override
  public void close() throws IOException {
    sink.abandon();
    in.close();
  }

  private PredictionRow read(long start) throws IOException {
    if (inPlace) {
      PredictionRow row = readInPlace(start);
      if (row != null) {
        return row;
      }
    }
    Line facts = new Line(start);
    long parserBase = source.offset();
    InputStream line = source.line();
    try (JsonParser p = json.createParser(line)) {
      if (p.getInputSource() == line) {
        parse(p, facts, parserBase);
      } else {
        // Jackson guessed UTF-16 or UTF-32 from the first bytes: its offsets would not be bytes.
        facts.problem = "the line is not UTF-8 JSON";
      }
    } catch (JsonProcessingException e) {
      source.cancelCapture();
      URI orphan = sink.abandon();
      facts.problem =
          "the line is not valid JSON: " + JsonProblem.describe(e, parserBase - facts.start);
      if (orphan != null) {
        facts.problem += " (its partial response was spilled to " + orphan + ")";
      }
    }
    source.finishLine();
    return row(facts);
  }

  /**
   * The line parsed where it lies in the source's buffer, with no copy into the parser and the
   * response copied once at its exact size: the everyday case, a line that fits in the buffer and
   * reads without a problem. Anything else (the line goes on past the bytes at hand, it is broken,
   * it has a problem to report, its response must spill) returns null having consumed nothing, and
   * the line is read again by the streaming path, which alone words problems and spills: so a line
   * yields the same row either way. The parser sees the bytes up to the buffer's limit, not to the
   * line's LF (finding the LF first would be one more pass over every byte); it cannot have read
   * into the next line unnoticed: outside strings an LF is whitespace, which the parser counts as a
   * new line, and inside a string or name it is an error.
   */
  private PredictionRow readInPlace(long start) throws IOException {
    int available = source.fillAhead(IN_PLACE_AHEAD);
    byte[] buf = source.buffer();
    int from = source.position();
    Line facts = new Line(start);
    facts.inPlace = true;
    int valueEnd;
    try (JsonParser p = json.createParser(buf, from, available)) {
      if (!(p instanceof UTF8StreamJsonParser)) {
        return null; // Jackson guessed UTF-16 or UTF-32: the streaming path says so
      }
      parse(p, facts, 0);
      if (facts.problem != null || p.currentLocation().getLineNr() != 1) {
        return null;
      }
      valueEnd = from + (int) p.currentLocation().getByteOffset();
    } catch (JsonProcessingException e) {
      return null;
    }
    int next = lineEnd(buf, valueEnd, from + available);
    if (next < 0) {
      return null;
    }
    if (facts.responseTo > facts.responseFrom) {
      int length = facts.responseTo - facts.responseFrom;
      if (length > inMemoryLimit) {
        return null;
      }
      sink.noteHeld(length);
      ResponseScanner scanner = facts.scanner;
      facts.response =
          new ResponseBody(
              Arrays.copyOfRange(buf, from + facts.responseFrom, from + facts.responseTo),
              length,
              null,
              scanner.empty,
              scanner.candidates,
              scanner.finishReason,
              scanner.usage,
              scanner.blockReason);
    }
    source.consumeInPlace(next);
    rowsInPlace++;
    return row(facts);
  }

  /**
   * The buffer index past the LF that ends a line whose value ended at {@code i}, with only spaces,
   * tabs and CRs between; the limit when the stream ended there instead; -1 for anything else (more
   * on the line, or the line goes on past the bytes at hand).
   */
  private int lineEnd(byte[] buf, int i, int limit) {
    for (; i < limit; i++) {
      byte b = buf[i];
      if (b == '\n') {
        return i + 1;
      }
      if (b != ' ' && b != '\t' && b != '\r') {
        return -1;
      }
    }
    return limit == source.limit() && source.exhausted() ? limit : -1;
  }

  /** The row a line's facts make, its end at the source's offset: the line is consumed. */
  private PredictionRow row(Line facts) {
    long start = facts.start;
    if (geminiShape && facts.problem == null && !facts.labelSeen) {
      long row = RowKeys.parseRow(facts.key);
      if (row >= 1) {
        facts.row = row;
        facts.labelSeen = true;
      } else {
        facts.problem =
            "key is "
                + (facts.key == null ? "missing" : quote(facts.key))
                + "; expected \"row-N\", the key staging gives every Gemini API line";
      }
    }
    if (facts.problem == null && !facts.labelSeen) {
      facts.problem =
          "request.labels."
              + RowKeys.ROW_LABEL
              + " is missing; expected \"row-N\", the label staging puts on every line";
    }
    if (facts.problem != null) {
      if (facts.response != null && !facts.response.inMemory()) {
        facts.problem += " (its response was spilled to " + facts.response.spillUri() + ")";
      }
      return PredictionRow.unattributable(start, source.offset(), cut(facts.problem));
    }
    return new PredictionRow(
        facts.row,
        facts.key,
        start,
        source.offset(),
        facts.status,
        facts.processedTime,
        facts.response,
        null);
  }

  private void parse(JsonParser p, Line facts, long parserBase) throws IOException {
    p.nextToken();
    JsonToken t;
    while ((t = p.nextToken()) == FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "key" -> facts.key = scalarText(p, value);
        case "status" -> facts.status = status(p, value);
        case "error" -> {
          if (geminiShape) {
            facts.status = status(p, value);
          } else {
            p.skipChildren();
          }
        }
        case "processed_time", "processedTime" -> facts.processedTime = scalarText(p, value);
        case "request" -> request(p, value, facts);
        case "response" -> response(p, value, facts, parserBase);
        default -> p.skipChildren();
      }
      if (facts.problem != null) {
        return;
      }
    }
    if (facts.inPlace) {
      // The parser's input goes on past the line: what follows the value is the caller's to check.
      if (t != JsonToken.END_OBJECT) {
        facts.problem = "not read in place";
      }
      return;
    }
    if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
      facts.problem = "more follows the JSON object on the same line; expected one object per line";
    }
  }

  private void request(JsonParser p, JsonToken value, Line facts) throws IOException {
    if (value != START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (!name.equals("labels") || t != START_OBJECT) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == FIELD_NAME) {
        String label = p.currentName();
        JsonToken v = p.nextToken();
        if (!label.equals(RowKeys.ROW_LABEL)) {
          p.skipChildren();
          continue;
        }
        String text = v == VALUE_STRING ? p.getText() : null;
        long row = RowLabels.parse(text);
        if (facts.labelSeen && row != facts.row) {
          facts.problem = "the line carries request.labels." + RowKeys.ROW_LABEL + " twice";
          return;
        }
        if (row < 1) {
          p.skipChildren();
          facts.problem =
              "request.labels."
                  + RowKeys.ROW_LABEL
                  + " is "
                  + (text == null ? "a JSON " + v : quote(text))
                  + "; expected \"row-N\" with N >= 1 and no leading zeros";
          return;
        }
        facts.labelSeen = true;
        facts.row = row;
      }
    }
  }

  private void response(JsonParser p, JsonToken value, Line facts, long parserBase)
      throws IOException {
    if (facts.responseSeen) {
      facts.problem = "the line carries two response members";
      p.skipChildren();
      return;
    }
    facts.responseSeen = true;
    if (value == VALUE_NULL) {
      return;
    }
    if (value != START_OBJECT) {
      facts.problem = "response is a JSON " + value + "; expected an object";
      p.skipChildren();
      return;
    }
    if (facts.inPlace) {
      // Offsets in the parser's input, which starts at the line's first byte.
      facts.responseFrom = (int) p.currentLocation().getByteOffset() - 1;
      facts.scanner = new ResponseScanner();
      facts.scanner.scan(p);
      facts.responseTo = (int) p.currentLocation().getByteOffset();
      return;
    }
    // The '{' is the last byte the parser consumed: it read it while reading the member name.
    long from = parserBase + p.currentLocation().getByteOffset() - 1;
    sink.begin(facts.start, facts.labelSeen ? facts.row : 0);
    source.startCapture(from, sink);
    ResponseScanner scanner = new ResponseScanner();
    scanner.scan(p);
    source.endCapture(parserBase + p.currentLocation().getByteOffset());
    ResponseSink.Result body = sink.finish();
    facts.response =
        new ResponseBody(
            body.bytes(),
            body.length(),
            body.spillUri(),
            scanner.empty,
            scanner.candidates,
            scanner.finishReason,
            scanner.usage,
            scanner.blockReason);
  }

  /** A string as is; a number or boolean as its text; anything else null. */
  private static String scalarText(JsonParser p, JsonToken t) throws IOException {
    if (t.isScalarValue() && t != VALUE_NULL) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /**
   * {@code status} is a string in every observed output; an object (say a {@code
   * google.rpc.Status}) is kept as its compact JSON, cut to a bound, so its code and message still
   * reach the error.
   */
  private String status(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = json.createGenerator(out)) {
        copyBounded(p, g, out);
      }
      return out.toString();
    }
    return scalarText(p, t);
  }

  private static void copyBounded(JsonParser p, JsonGenerator g, StringWriter out)
      throws IOException {
    int depth = 0;
    JsonToken t = p.currentToken();
    while (true) {
      if (out.getBuffer().length() < MAX_STATUS_JSON_CHARS) {
        g.copyCurrentEvent(p);
        g.flush();
      }
      if (t.isStructStart()) {
        depth++;
      } else if (t.isStructEnd() && --depth == 0) {
        return;
      }
      t = p.nextToken();
    }
  }

  private static String quote(String text) {
    return "\"" + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "\"";
  }

  private static String cut(String problem) {
    return problem.length() <= MAX_PROBLEM_CHARS
        ? problem
        : problem.substring(0, MAX_PROBLEM_CHARS - 1) + "…";
  }

  /** What one line has said so far. */
  private static final class Line {
    final long start;
    long row;
    boolean labelSeen;
    boolean responseSeen;
    String key;
    String status;
    String processedTime;
    ResponseBody response;
    String problem;

    /** Read by {@link #readInPlace}: the response is found by its offsets, not captured. */
    boolean inPlace;

    int responseFrom;
    int responseTo;
    ResponseScanner scanner;

    Line(long start) {
      this.start = start;
    }
  }
}
