package io.batchdrop.publish;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.batchdrop.cloud.log.StructuredLog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a succeeded response's inline media ({@code candidates[].content.parts[].inlineData
 * {mimeType, data}}, base64: image generation) to {@code payloads/} and puts {@code fileData
 * {mimeType, fileUri}} in the part's place, the shape a Gemini client already reads for a file in
 * Cloud Storage. Each blob is decoded as it is read into its object (Jackson's streaming base64
 * decoder: the base64 never copied into a string, the decoded blob never held whole), named by the
 * line's offset and the part's place, so a redelivery rewrites the same objects.
 *
 * <p>Two paths share one {@link Rewriter}: a response held in memory is parsed where it is held and
 * rewritten into memory ({@link #rewrite}); one spilled past the in-memory limit is streamed back
 * from its payload object and rewritten into a new one beside it ({@link #rewriteSpilled}), so
 * neither the response nor a blob is ever held whole.
 *
 * <p>A response that cannot be rewritten (base64 that does not decode, a string past {@link
 * PublishJson#MAX_READ_STRING}, a cut object) leaves the row as Vertex wrote it (still succeeded:
 * the model answered, and the message then carries exactly Vertex's bytes) and logs a warning; the
 * half-written object is never finished, so none is left.
 */
final class InlineMedia {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");

  /** Where one blob goes: a deterministic object per line offset, candidate and part. */
  interface Target {
    SpillTarget.Spill openMedia(long lineOffset, int candidate, int part, String mimeType)
        throws IOException;

    /** Drops a blob that did not decode: its object must not be finished. */
    default void abandon(SpillTarget.Spill spill) {}

    /**
     * Deletes a blob this rewrite finished before a later one failed: the row keeps its inline
     * data, so no message names the object. A target that only names objects (replay) deletes
     * nothing.
     */
    default void discard(URI finished) throws IOException {}
  }

  /** Also where a spilled response is read back from and where its rewrite goes. */
  interface SpilledTarget extends Target {
    /** The response the line's spill wrote ({@link SpillTarget#open}), streamed back. */
    SpilledResponse readSpilled(long lineOffset) throws IOException;

    /**
     * A new object for the line's rewritten response: never the one being read. Finished by closing
     * its stream; {@link #abandon} leaves it unfinished.
     */
    SpillTarget.Spill openRewritten(long lineOffset) throws IOException;
  }

  /** A spilled response being read back. */
  interface SpilledResponse extends java.io.Closeable {
    InputStream stream();

    /** Deletes the object read, once its rewrite is finished: nothing names it any more. */
    void delete() throws IOException;
  }

  /**
   * The alphabets proto JSON parsers accept for bytes, tried in turn: standard base64 (what proto
   * JSON writes, and what the references show Gemini writing), then URL-safe ({@code -} and {@code
   * _}). Padding is accepted when absent, as those parsers accept it. A response is rewritten whole
   * in one alphabet: Jackson's decoder takes one, so the second is tried only when a blob did not
   * decode in the first, and a response that mixes them is left inline with a warning.
   */
  private static final List<Base64Variant> ALPHABETS =
      List.of(
          Base64Variants.MIME_NO_LINEFEEDS.withReadPadding(
              Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED),
          // Jackson's URL variant has no padding character at all, so padded URL-safe base64
          // (what Guava and java.util write) would not decode: its alphabet, '=' optional.
          new Base64Variant(
                  "URL-SAFE",
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                  true,
                  '=',
                  Integer.MAX_VALUE)
              .withReadPadding(Base64Variant.PaddingReadBehaviour.PADDING_ALLOWED));

  private static final byte[] MARKER = "\"inline".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private InlineMedia() {}

  /** The object name's extension for a media type; {@code .bin} when unknown or not given. */
  static String extension(String mimeType) {
    if (mimeType == null) {
      return ".bin";
    }
    return switch (mimeType.toLowerCase(java.util.Locale.ROOT)) {
      case "image/png" -> ".png";
      case "image/jpeg" -> ".jpg";
      case "image/webp" -> ".webp";
      case "image/gif" -> ".gif";
      case "audio/wav", "audio/x-wav" -> ".wav";
      case "audio/mpeg" -> ".mp3";
      case "audio/l16", "audio/pcm" -> ".pcm";
      case "video/mp4" -> ".mp4";
      case "application/pdf" -> ".pdf";
      default -> ".bin";
    };
  }

  /**
   * The row with its in-memory response's inline media moved to {@code target}; the same row when
   * there is none, when the response was spilled (see {@link #rewriteSpilled}), or when it cannot
   * be rewritten (then warned).
   */
  static PredictionRow rewrite(PredictionRow row, Target target) throws IOException {
    ResponseBody response = row.response();
    if (response == null || !response.inMemory() || !mayHold(response)) {
      return row;
    }
    int length = (int) response.length();
    return inEitherAlphabet(
        row,
        alphabet -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(length, 64 << 10));
          Rewriter rewriter = new Rewriter(row.offset(), target, alphabet);
          // Parsed where it is held (no copy of a response that may be megabytes of base64).
          try (JsonParser p = PublishJson.factory().createParser(response.bytesHeld(), 0, length);
              JsonGenerator g = PublishJson.factory().createGenerator(out)) {
            copy(p, g, rewriter);
          } catch (JsonProcessingException | UndecodedBase64 e) {
            rewriter.discardFinished();
            throw e;
          }
          return rewriter.moved == 0
              ? row
              : row.withResponse(response.withBytes(out.toByteArray()));
        });
  }

  /**
   * The row with its spilled response's inline media moved to {@code target}, and its response
   * rewritten into {@link SpilledTarget#openRewritten}'s object, which then is its payload; the
   * same row when the response is held in memory, holds no inline media or cannot be rewritten
   * (then warned). Held at once: Jackson's buffers, the reader's and writers' chunks, one media
   * chunk.
   *
   * <p>Whether there is any inline media is known only once it is read: the rewrite starts at once
   * and is abandoned (never finished) when it moved nothing, rather than looking first, which would
   * read every such response twice; responses this large without media are rare, as output token
   * limits keep text far below the in-memory limit.
   *
   * <p>The spilled object is deleted once the rewrite is finished: no message names it, the output
   * file still holds Vertex's bytes of the line, and it would double the storage of the largest
   * responses. A crash in between leaves it behind, as a spill of a line read again does; a
   * redelivery spills and rewrites both again under the same names.
   */
  static PredictionRow rewriteSpilled(PredictionRow row, SpilledTarget target) throws IOException {
    ResponseBody response = row.response();
    if (response == null || response.inMemory()) {
      return row;
    }
    return inEitherAlphabet(
        row,
        alphabet -> {
          try (SpilledResponse spilled = target.readSpilled(row.offset())) {
            SpillTarget.Spill rewritten = target.openRewritten(row.offset());
            Counted out = new Counted(rewritten.stream());
            Rewriter rewriter = new Rewriter(row.offset(), target, alphabet);
            try (JsonParser p = PublishJson.factory().createParser(spilled.stream());
                JsonGenerator g = PublishJson.factory().createGenerator(out)) {
              copy(p, g, rewriter);
            } catch (JsonProcessingException | UndecodedBase64 e) {
              target.abandon(rewritten);
              rewriter.discardFinished();
              throw e;
            }
            if (rewriter.moved == 0) {
              target.abandon(rewritten);
              return row;
            }
            rewritten.stream().close(); // finishes the object: only once the whole response is in
            spilled.delete();
            return row.withResponse(response.withSpillUri(rewritten.uri(), out.count));
          }
        });
  }

  /** One rewrite of a response, reading its blobs in {@code alphabet}. */
  private interface Attempt {
    /**
     * The rewritten row, or the same row when nothing moved; having cleaned up after itself, it
     * throws {@link UndecodedBase64} when a blob did not decode, or Jackson's parse error when the
     * response could not be rewritten.
     */
    PredictionRow in(Base64Variant alphabet) throws IOException;
  }

  /**
   * The first attempt whose blobs decode, in {@link #ALPHABETS}' order; the row unchanged, warned,
   * when none does or the response cannot be rewritten at all (a string too long, a cut object),
   * which no other alphabet mends.
   */
  private static PredictionRow inEitherAlphabet(PredictionRow row, Attempt attempt)
      throws IOException {
    UndecodedBase64 undecoded = null;
    for (Base64Variant alphabet : ALPHABETS) {
      try {
        return attempt.in(alphabet);
      } catch (UndecodedBase64 e) {
        undecoded = e;
      } catch (JsonProcessingException e) {
        warn(row, e);
        return row;
      }
    }
    warn(row, undecoded);
    return row;
  }

  /**
   * Copies the response object from {@code p} to {@code g} with its inline media moved by {@code
   * rewriter} (which counts them); nothing when it is not an object.
   */
  private static void copy(JsonParser p, JsonGenerator g, Rewriter rewriter) throws IOException {
    if (p.nextToken() != START_OBJECT) {
      return;
    }
    g.writeStartObject();
    try {
      rewriter.response(p, g);
    } catch (IllegalArgumentException e) { // Jackson's word for base64 that does not decode
      throw new UndecodedBase64(e);
    }
  }

  /** A blob's base64 did not decode in the alphabet tried: the next one may decode it. */
  private static final class UndecodedBase64 extends IOException {
    UndecodedBase64(IllegalArgumentException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The row's row and offset and Jackson's reason; never the response's content. */
  private static void warn(PredictionRow row, Exception e) {
    LOG.warning()
        .with("row", row.row())
        .with("offset", row.offset())
        .with("problem", e.getMessage())
        .log(
            "inline media left in the response: it could not be rewritten (base64 that does not"
                + " decode, a string too long or a cut response)");
  }

  /** Horspool's shift for each byte at the window's last place: how far the marker may move. */
  private static final int[] SHIFT = new int[256];

  static {
    java.util.Arrays.fill(SHIFT, MARKER.length);
    for (int i = 0; i < MARKER.length - 1; i++) {
      SHIFT[MARKER[i] & 0xff] = MARKER.length - 1 - i;
    }
  }

  /**
   * A cheap look for {@code "inline} (inlineData or inline_data) before any parsing, Horspool's
   * search: most bytes of a text answer are not in the marker, so it looks at about one byte in
   * six, and a row without inline media pays that and nothing more.
   */
  static boolean mayHold(ResponseBody response) {
    byte[] bytes = response.bytesHeld();
    int n = (int) response.length();
    int last = MARKER.length - 1;
    for (int i = last; i < n; i += SHIFT[bytes[i] & 0xff]) {
      if (bytes[i] == MARKER[last] && matchesAt(bytes, i - last)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesAt(byte[] bytes, int at) {
    for (int j = 0; j < MARKER.length - 1; j++) {
      if (bytes[at + j] != MARKER[j]) {
        return false;
      }
    }
    return true;
  }

  /** Copies a response, stopping only at candidates[].content.parts[].inlineData. */
  private static final class Rewriter {
    private final long lineOffset;
    private final Target target;
    private final Base64Variant alphabet;
    private int candidate;
    int moved;

    /** The blobs finished so far, deleted again if a later one fails. */
    private final List<URI> finished = new ArrayList<>();

    Rewriter(long lineOffset, Target target, Base64Variant alphabet) {
      this.lineOffset = lineOffset;
      this.target = target;
      this.alphabet = alphabet;
    }

    /** A later blob failed, so the row keeps its inline data: no message names those finished. */
    void discardFinished() throws IOException {
      for (URI uri : finished) {
        target.discard(uri);
      }
    }

    /** From after the response's START_OBJECT to its END_OBJECT, written to {@code g}. */
    void response(JsonParser p, JsonGenerator g) throws IOException {
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        g.writeFieldName(name);
        if (p.nextToken() == START_ARRAY && name.equals("candidates")) {
          g.writeStartArray();
          while (p.nextToken() != END_ARRAY) {
            if (p.currentToken() == START_OBJECT) {
              g.writeStartObject();
              candidate(p, g);
            } else {
              g.copyCurrentStructure(p);
            }
            candidate++;
          }
          g.writeEndArray();
        } else {
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }

    private void candidate(JsonParser p, JsonGenerator g) throws IOException {
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        g.writeFieldName(name);
        if (p.nextToken() == START_OBJECT && name.equals("content")) {
          g.writeStartObject();
          content(p, g);
        } else {
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }

    private void content(JsonParser p, JsonGenerator g) throws IOException {
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        g.writeFieldName(name);
        if (p.nextToken() == START_ARRAY && name.equals("parts")) {
          g.writeStartArray();
          int part = 0;
          while (p.nextToken() != END_ARRAY) {
            if (p.currentToken() == START_OBJECT) {
              g.writeStartObject();
              part(p, g, part);
            } else {
              g.copyCurrentStructure(p);
            }
            part++;
          }
          g.writeEndArray();
        } else {
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }

    private void part(JsonParser p, JsonGenerator g, int part) throws IOException {
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        boolean camel = name.equals("inlineData");
        if (p.nextToken() == START_OBJECT && (camel || name.equals("inline_data"))) {
          g.writeFieldName(camel ? "fileData" : "file_data");
          inlineData(p, g, part, camel);
        } else {
          g.writeFieldName(name);
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }

    /**
     * {@code {mimeType, data, ...}} → {@code {mimeType, fileUri, ...}}: data decoded into its
     * object as it is read; any other member (displayName) kept.
     */
    private void inlineData(JsonParser p, JsonGenerator g, int part, boolean camel)
        throws IOException {
      String mimeType = null;
      URI uri = null;
      g.writeStartObject();
      while (p.nextToken() == FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if ((name.equals("mimeType") || name.equals("mime_type"))
            && p.currentToken() == VALUE_STRING) {
          mimeType = p.getText();
          g.writeStringField(name, mimeType);
        } else if (name.equals("data") && p.currentToken() == VALUE_STRING && uri == null) {
          SpillTarget.Spill spill = target.openMedia(lineOffset, candidate, part, mimeType);
          try (OutputStream stream = new Unclosed(spill.stream())) {
            p.readBinaryValue(alphabet, stream);
          } catch (JsonProcessingException | IllegalArgumentException e) {
            // Jackson reports bad base64 as IllegalArgumentException, a cut string as a parse
            // error.
            target.abandon(spill);
            throw e;
          }
          spill.stream().close(); // finishes the object: only once the whole blob decoded
          uri = spill.uri();
          finished.add(uri);
          g.writeStringField(camel ? "fileUri" : "file_uri", uri.toString());
          moved++;
        } else {
          g.writeFieldName(name);
          g.copyCurrentStructure(p);
        }
      }
      g.writeEndObject();
    }
  }

  /** Counts what is written: the rewritten response's length. */
  private static final class Counted extends java.io.FilterOutputStream {
    long count;

    Counted(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() {} // the caller finishes the object, only when the rewrite succeeded
  }

  /** Lets the decoder write without closing what it writes to. */
  private static final class Unclosed extends java.io.FilterOutputStream {
    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {}
  }
}
