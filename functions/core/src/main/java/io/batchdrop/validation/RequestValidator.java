package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Validates a JSONL file of Vertex AI batch requests in one streaming pass with flat memory: lines
 * are split with one bounded buffer and each line is parsed token by token with one shared {@link
 * JsonFactory}. Each non-blank line is a row and goes to the {@link LineListener} as valid or
 * invalid; the returned report counts them. A file that is not UTF-8 at all (a UTF-16 or UTF-32
 * byte order mark, or a NUL byte) ends reading with one file-level finding, {@link
 * ValidationReport#rejection()}, which rejects it whatever the policy. Thread-safe: every call
 * keeps its own state.
 */
public final class RequestValidator {

  /** Distinct key paths whose JSON type is tracked across a file. */
  static final int KEY_PATH_CAPACITY = 10_000;

  /** Bytes of key names the type table may keep; see {@link KeyPathTable}. */
  static final long KEY_PATH_NAME_BYTES = 8L << 20;

  private static final long PROGRESS_STEP = 8L << 20;

  /** Valid lines nest objects at most 17 deep; arrays beyond this are not worth parsing. */
  private static final int MAX_NESTING = 256;

  private final ValidatorConfig config;
  private final JsonFactory factory;
  private final boolean parserPerLine;

  public RequestValidator(ValidatorConfig config) {
    this(config, false);
  }

  /**
   * @param parserPerLine give every line a parser of its own instead of reading clean lines with
   *     one parser: the way the validator worked before, kept for tests to compare findings with
   */
  RequestValidator(ValidatorConfig config, boolean parserPerLine) {
    this.config = Objects.requireNonNull(config, "config");
    this.parserPerLine = parserPerLine;
    this.factory =
        JsonFactory.builder()
            // Lines are UTF-8 or rejected before parsing; left on, Jackson would read a line that
            // starts with NULs as UTF-16 or UTF-32 and skip a UTF-8 byte order mark on any line.
            .disable(JsonFactory.Feature.CHARSET_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // generationConfig's doubles: the same correctly rounded values as Double.parseDouble,
            // without its per-number garbage (a tenth of the validator's allocations).
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxStringLength(
                        Math.max(
                            StreamReadConstraints.DEFAULT_MAX_STRING_LEN, config.maxLineBytes()))
                    .build())
            .build();
  }

  public ValidationReport validate(InputStream in, LineListener listener) throws IOException {
    return validate(in, listener, new KeyPathTable(KEY_PATH_CAPACITY, KEY_PATH_NAME_BYTES));
  }

  /**
   * {@link #validate(InputStream, LineListener)} with the given type table, for tests to inspect.
   */
  ValidationReport validate(InputStream in, LineListener listener, KeyPathTable types)
      throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(listener, "listener");
    PushbackInputStream sniffed = new PushbackInputStream(in, Encoding.SNIFF_BYTES);
    byte[] head = sniffed.readNBytes(Encoding.SNIFF_BYTES);
    sniffed.unread(head);
    ReportTally tally = new ReportTally();
    Finding bom = Encoding.byteOrderMark(head, head.length);
    if (bom != null) {
      tally.rejectFile(bom);
      return tally.report(0);
    }
    Finding unsupported = EmbeddingSupport.rejection(config);
    if (unsupported != null) {
      tally.rejectFile(unsupported);
      return tally.report(0);
    }
    LineReader reader = new LineReader(sniffed, config.maxLineBytes());
    LineFindings findings = new LineFindings(config.backend());
    try (LineChecker checker =
        new LineChecker(factory, config, types, findings, parserPerLine ? null : reader)) {
      return validateLines(reader, checker, findings, types, listener, tally);
    }
  }

  private ValidationReport validateLines(
      LineReader reader,
      LineChecker checker,
      LineFindings findings,
      KeyPathTable types,
      LineListener listener,
      ReportTally tally)
      throws IOException {
    boolean crlfReported = false;
    long nextProgress = PROGRESS_STEP;

    while (reader.next()) {
      long row = reader.lineNumber();
      findings.reset(row);
      byte[] buf = reader.buffer();
      int off = reader.start();
      int len = reader.length();
      if (row == 1 && !reader.tooLong() && startsWithBom(buf, off, len)) {
        off += 3;
        len -= 3;
        findings.add(
            Rule.UTF8_BOM,
            1,
            "",
            "the file starts with a UTF-8 byte order mark; expected none: "
                + "it is left out of the staged file");
      }
      if (reader.endsWithCr() && !crlfReported) {
        crlfReported = true;
        findings.add(
            Rule.CRLF_LINE_ENDINGS,
            0,
            "",
            reader.endsWithLf()
                ? "the line ends with CR LF (Windows line endings); expected LF: "
                    + "staged lines end with LF (reported once per file)"
                : "the last line ends with a bare CR and no LF; expected LF: "
                    + "staged lines end with LF (reported once per file)");
      }

      if (reader.tooLong()) {
        findings.add(
            Rule.LINE_TOO_LONG,
            0,
            "",
            "the line is "
                + reader.rawLength()
                + " bytes long; expected at most "
                + config.maxLineBytes()
                + " bytes");
        tally.invalidRow(findings);
        listener.onInvalidLine(
            new InvalidLine(
                row, RowKeys.rowKey(row), null, reader.rawLength(), findings.snapshot()));
      } else if (isBlank(buf, off, len)) {
        findings.add(
            Rule.BLANK_LINE,
            0,
            "",
            "the line is blank; expected a JSON object: "
                + "blank lines are skipped and are not rows");
        tally.notARow(findings);
      } else {
        int bad = reader.firstInvalidUtf8();
        if (bad >= 0 && buf[bad] == 0) {
          // Not a bad row but a file that is not UTF-8: the lines before were staged, but the
          // verdict rejects the file, so nothing of it is submitted.
          tally.rejectFile(Encoding.nul(buf, off, len, bad, row));
          break;
        }
        String userKey = null;
        LineLayout layout = null;
        RequestCounts counts = null;
        if (bad >= 0) {
          findings.add(
              Rule.INVALID_UTF8,
              bad - off + 1,
              "",
              String.format(
                  "byte %d of the line (0x%02X) is not valid UTF-8; expected UTF-8 text",
                  bad - off + 1, buf[bad] & 0xFF));
        } else {
          checker.check(buf, off, len, row);
          checkStagedLength(findings, len);
          userKey = checker.userKey();
          layout = checker.layout();
          counts = checker.counts();
          if (findings.hasErrors()) {
            types.rollbackLine();
          } else {
            types.commitLine();
          }
        }
        String key = userKey != null ? userKey : RowKeys.rowKey(row);
        if (findings.hasErrors()) {
          tally.invalidRow(findings);
          listener.onInvalidLine(
              new InvalidLine(
                  row, key, Arrays.copyOfRange(buf, off, off + len), len, findings.snapshot()));
        } else {
          tally.validRow(findings);
          listener.onValidLine(
              new ValidLine(row, key, buf, off, len, findings.warningsSnapshot(), layout, counts));
        }
      }

      if (reader.bytesRead() >= nextProgress) {
        listener.onProgress(reader.bytesRead());
        nextProgress = reader.bytesRead() + PROGRESS_STEP;
      }
    }
    return tally.report(reader.bytesRead());
  }

  /**
   * The line limit holds for the line as staged too: staging wraps each single-object {@code parts}
   * in brackets, and nothing else it does grows a line by more than the key and row label, for
   * which the work bucket's readers allow room beyond the limit.
   */
  private void checkStagedLength(LineFindings findings, int len) {
    long staged = (long) len + 2L * findings.singleObjectParts();
    if (staged > config.maxLineBytes()) {
      findings.add(
          Rule.LINE_TOO_LONG,
          0,
          "",
          "the line is "
              + len
              + " bytes long and "
              + staged
              + " bytes as staged, where each of its "
              + findings.singleObjectParts()
              + " single-object \"parts\" is wrapped in an array; expected at most "
              + config.maxLineBytes()
              + " bytes as staged: give \"parts\" as arrays");
    }
  }

  private static boolean startsWithBom(byte[] b, int off, int len) {
    return len >= 3
        && b[off] == (byte) 0xEF
        && b[off + 1] == (byte) 0xBB
        && b[off + 2] == (byte) 0xBF;
  }

  private static boolean isBlank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }
}
