package io.batchdrop.emulator.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a multipart body ({@code multipart/related} uploads, {@code multipart/mixed} batches) part
 * by part, streaming each part's bytes up to the next boundary so a large media part never has to
 * fit in memory.
 */
final class MultipartReader {
  private final InputStream in;
  // Parts end at CRLF--boundary; apitools (gcloud, gsutil) separates them with a bare LF.
  private final byte[] delimiter;
  private final byte[] bareDelimiter;
  private final byte[] buffer;
  private int position;
  private int limit;
  private boolean sourceEnded;
  private boolean finished;
  private PartStream current;

  MultipartReader(InputStream in, String boundary) throws IOException {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.bareDelimiter = ("\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    this.buffer = new byte[64 * 1024 + delimiter.length];
    // The body opens with "--boundary" and no CRLF before it; pretend there was one, then
    // everything up to the first delimiter is preamble and is skipped.
    buffer[0] = '\r';
    buffer[1] = '\n';
    limit = 2;
    new PartStream().transferTo(OutputStream.nullOutputStream());
    afterDelimiter();
  }

  /** The boundary parameter of a {@code multipart/...; boundary=...} content type. */
  static String boundaryOf(String contentType) {
    if (contentType == null) {
      throw ApiException.invalid("multipart request without a Content-Type");
    }
    for (String parameter : contentType.split(";")) {
      String trimmed = parameter.trim();
      if (trimmed.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        String value = trimmed.substring("boundary=".length());
        // Python's email package (apitools) quotes with single quotes: boundary='===...=='
        boolean quoted =
            value.length() >= 2
                && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0);
        String boundary = quoted ? value.substring(1, value.length() - 1) : value;
        if (boundary.isEmpty() || boundary.length() > 70) {
          throw ApiException.invalid(
              "multipart boundary must be 1 to 70 characters (RFC 2046), got " + boundary.length());
        }
        return boundary;
      }
    }
    throw ApiException.invalid("multipart request without a boundary");
  }

  /** The next part, or null after the closing boundary. Reading it moves past the previous one. */
  Part next() throws IOException {
    if (current != null) {
      current.transferTo(OutputStream.nullOutputStream());
      afterDelimiter();
      current = null;
    }
    if (finished) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    current = new PartStream();
    return new Part(headers, current);
  }

  private void afterDelimiter() throws IOException {
    fill(2);
    if (limit - position >= 2 && buffer[position] == '-' && buffer[position + 1] == '-') {
      finished = true;
      return;
    }
    readLine();
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      fill(1);
      if (position == limit) {
        throw ApiException.invalid("multipart body ended inside part headers");
      }
      byte b = buffer[position++];
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.UTF_8);
  }

  /** Tries to have at least {@code wanted} unread bytes buffered; fewer only at end of input. */
  private void fill(int wanted) throws IOException {
    if (limit - position >= wanted || sourceEnded) {
      return;
    }
    System.arraycopy(buffer, position, buffer, 0, limit - position);
    limit -= position;
    position = 0;
    while (limit < wanted) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        sourceEnded = true;
        return;
      }
      limit += read;
    }
  }

  /** The bytes of one part, ending just before the next delimiter. */
  private final class PartStream extends InputStream {
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (ended) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      fill(delimiter.length);
      int safeEnd = limit;
      for (int i = position; i < limit; i++) {
        if (couldStart(delimiter, i) || couldStart(bareDelimiter, i)) {
          safeEnd = i;
          break;
        }
      }
      if (safeEnd == position) {
        for (byte[] candidate : new byte[][] {delimiter, bareDelimiter}) {
          if (limit - position >= candidate.length && couldStart(candidate, position)) {
            position += candidate.length;
            ended = true;
            return -1;
          }
        }
        throw ApiException.invalid("multipart body ended before its closing boundary");
      }
      int count = Math.min(length, safeEnd - position);
      System.arraycopy(buffer, position, target, offset, count);
      position += count;
      return count;
    }

    /** A full match, or a partial match cut off by the end of the buffered bytes. */
    private boolean couldStart(byte[] candidate, int at) {
      int available = Math.min(candidate.length, limit - at);
      for (int k = 0; k < available; k++) {
        if (buffer[at + k] != candidate[k]) {
          return false;
        }
      }
      return true;
    }
  }

  /** One part: its headers (lower-case names) and its bytes. */
  record Part(Map<String, String> headers, InputStream body) {}
}
